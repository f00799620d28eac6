using System.Text;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Tests.Binlog;

public class BinlogItemCodecTests
{
    private static readonly BinlogItem Sample = new(BinlogItemType.Transaction, new TransactionId("m1", 42), 1_700_000_000_123,
    [
        [Encoding.ASCII.GetBytes("SET"), Encoding.ASCII.GetBytes("key"), [0, 1, 2, 255]],
        [Encoding.ASCII.GetBytes("INCR"), Encoding.ASCII.GetBytes("counter")],
        [Encoding.ASCII.GetBytes("SET"), Encoding.ASCII.GetBytes("empty"), []],
    ]);

    [Fact]
    public void EncodedItem_DecodesToTheSameItem()
    {
        var bytes = BinlogItemCodec.Encode(Sample);

        Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(bytes, out var item, out int size));
        Assert.Equal(bytes.Length, size);
        Assert.Equal(Sample.Id, item!.Id);
        Assert.Equal(Sample.TimestampMs, item.TimestampMs);
        Assert.Equal(Sample.Commands.Count, item.Commands.Count);
        for (int c = 0; c < Sample.Commands.Count; c++)
            Assert.Equal(Sample.Commands[c], item.Commands[c]);
    }

    [Fact]
    public void EveryFlippedByte_IsDetected()
    {
        var bytes = BinlogItemCodec.Encode(Sample);
        for (int i = 0; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x01;
            var status = BinlogItemCodec.TryDecode(damaged, out _, out _);
            // A flipped length byte may make the item look longer than the buffer: incomplete, never Ok.
            Assert.True(status != ItemDecodeStatus.Ok, $"flip at byte {i} went unnoticed");
        }
    }

    [Fact]
    public void EveryTruncation_IsIncompleteNotCorruptNotOk()
    {
        var bytes = BinlogItemCodec.Encode(Sample);
        for (int length = 0; length < bytes.Length; length++)
            Assert.Equal(ItemDecodeStatus.Incomplete, BinlogItemCodec.TryDecode(bytes.AsSpan(0, length), out _, out _));
    }

    [Fact]
    public void ItemsBackToBack_DecodeOneAfterAnother()
    {
        var first = BinlogItemCodec.Encode(Sample);
        var second = BinlogItemCodec.Encode(Sample with { Id = new TransactionId("m1", 43) });
        byte[] both = [.. first, .. second];

        Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(both, out var a, out int sizeA));
        Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(both.AsSpan(sizeA), out var b, out _));
        Assert.Equal(42, a!.Id.Sequence);
        Assert.Equal(43, b!.Id.Sequence);
    }

    [Fact]
    public void SegmentHeader_RoundTripsAndRejectsDamage()
    {
        var bytes = new byte[BinlogFormat.SegmentHeaderSize];
        new SegmentHeader(123_456).WriteTo(bytes);

        Assert.True(SegmentHeader.TryRead(bytes, out var header));
        Assert.Equal(123_456, header.StartLogicalOffset);
        bytes[17] ^= 0x10;
        Assert.False(SegmentHeader.TryRead(bytes, out _));
    }

    [Fact]
    public void Crc32C_MatchesTheStandardCheckValue()
    {
        // The CRC-32C check value of "123456789" (RFC 3720, appendix B.4).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
