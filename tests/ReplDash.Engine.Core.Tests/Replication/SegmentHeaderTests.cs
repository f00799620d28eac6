using System.Buffers.Binary;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Tests.Replication;

/// <summary>The segment header's FirstItemOffset lets a slave's relay segment start mid-file after a full resync.</summary>
public class SegmentHeaderTests
{
    private static byte[] Written(SegmentHeader header)
    {
        var bytes = new byte[BinlogFormat.SegmentHeaderSize];
        header.WriteTo(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0L, 32)]
    [InlineData(123_456_789_012L, 33)]
    [InlineData(5_000L, 4096)]
    [InlineData(long.MaxValue, int.MaxValue)]
    public void Header_RoundTripsWithItsFirstItemOffset(long startLogical, int firstItemOffset)
    {
        var bytes = Written(new SegmentHeader(startLogical, firstItemOffset));

        Assert.True(SegmentHeader.TryRead(bytes, out var read));
        Assert.Equal(startLogical, read.StartLogicalOffset);
        Assert.Equal(firstItemOffset, read.FirstItemOffset);
    }

    [Fact]
    public void DefaultFirstItemOffset_IsRightAfterTheHeader()
    {
        Assert.True(SegmentHeader.TryRead(Written(new SegmentHeader(77)), out var read));
        Assert.Equal(BinlogFormat.SegmentHeaderSize, read.FirstItemOffset);
    }

    [Fact]
    public void Header_ReadsFromALongerBuffer()
    {
        var bytes = new byte[4096];
        new SegmentHeader(9, 2048).WriteTo(bytes);

        Assert.True(SegmentHeader.TryRead(bytes, out var read));
        Assert.Equal(2048, read.FirstItemOffset);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void FirstItemOffsetInsideTheHeader_IsRejectedEvenWithAValidChecksum(int firstItemOffset)
    {
        var bytes = Written(new SegmentHeader(0, firstItemOffset));

        Assert.False(SegmentHeader.TryRead(bytes, out var read));
        Assert.Equal(default, read);
    }

    [Fact]
    public void AnyFlippedByteInTheHeader_IsRejected()
    {
        var good = Written(new SegmentHeader(123_456, 4096));
        for (int i = 0; i < BinlogFormat.SegmentHeaderSize; i++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])good.Clone();
                damaged[i] ^= mask;
                Assert.False(SegmentHeader.TryRead(damaged, out _), $"byte {i} xor 0x{mask:X2} went unnoticed");
            }
        }
    }

    [Fact]
    public void ChangedFirstItemOffsetWithoutANewChecksum_IsRejected()
    {
        var bytes = Written(new SegmentHeader(0, 4096));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), 8192);
        Assert.False(SegmentHeader.TryRead(bytes, out _));
    }

    [Fact]
    public void TruncatedHeader_IsRejected()
    {
        var bytes = Written(new SegmentHeader(0, 4096));
        for (int length = 0; length < bytes.Length; length++)
            Assert.False(SegmentHeader.TryRead(bytes.AsSpan(0, length), out _), $"{length} bytes accepted");
    }
}
