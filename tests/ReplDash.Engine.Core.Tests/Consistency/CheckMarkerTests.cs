using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Consistency;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Consistency;

public class CheckMarkerTests
{
    [Fact]
    public void Marker_RoundTripsThroughTheBinlogCodec()
    {
        var marker = new CheckMarker("run-17", 42, CheckMarkerKind.Keys, 100, 164);
        var encoded = BinlogItemCodec.Encode(marker.ToItem(new TransactionId("m1", 9), 1234));

        Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(encoded, out var item, out int size));
        Assert.Equal(encoded.Length, size);
        Assert.Equal(BinlogItemType.CheckMarker, item!.Type);
        Assert.Equal(new TransactionId("m1", 9), item.Id);
        Assert.True(CheckMarker.TryParse(item, out var parsed, out string error), error);
        Assert.Equal(marker, parsed);
    }

    [Fact]
    public void TransactionItems_KeepTheirBytes_AndAnUnknownTypeIsStillCorrupt()
    {
        // The layout of a transaction did not change: type byte 1 at body offset 0.
        var item = new BinlogItem(BinlogItemType.Transaction, new TransactionId("m1", 1), 5, [[Encoding.ASCII.GetBytes("SET"), [1], [2]]]);
        var encoded = BinlogItemCodec.Encode(item);
        Assert.Equal(1, encoded[BinlogFormat.ItemPrefixSize]);
        Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(encoded, out var decoded, out _));
        Assert.Equal(BinlogItemType.Transaction, decoded!.Type);

        encoded[BinlogFormat.ItemPrefixSize] = 4; // 3 is a publish item now; 4 is unknown
        FixChecksum(encoded);
        Assert.Equal(ItemDecodeStatus.Corrupt, BinlogItemCodec.TryDecode(encoded, out _, out _));
    }

    [Theory]
    [InlineData("", 0, 1, 0, 1)]          // no id
    [InlineData("r", 0, 3, 0, 1)]         // unknown kind
    [InlineData("r", 0, 1, 5, 5)]         // empty range
    [InlineData("r", 0, 1, 0, 4097)]      // beyond the buckets
    [InlineData("r", -1, 1, 0, 1)]        // negative chunk
    public void InvalidMarkers_AreRefused(string id, int chunk, int kind, int from, int to)
    {
        var marker = new CheckMarker(id, chunk, (CheckMarkerKind)kind, from, to);
        Assert.Throws<ArgumentException>(() => marker.ToCommands());
    }

    [Fact]
    public void MarkerOfAnotherBucketCount_IsRefusedWithAReason()
    {
        var commands = new CheckMarker("r", 1, CheckMarkerKind.Digest, 0, 8).ToCommands();
        commands[0][6] = Encoding.ASCII.GetBytes("1024");
        var item = new BinlogItem(BinlogItemType.CheckMarker, new TransactionId("m1", 1), 0, commands);
        Assert.False(CheckMarker.TryParse(item, out _, out string error));
        Assert.Contains("1024 buckets", error);
    }

    private static void FixChecksum(byte[] encoded)
    {
        int at = encoded.Length - BinlogFormat.ItemChecksumSize;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(encoded.AsSpan(at), Crc32C.Compute(encoded.AsSpan(0, at)));
    }
}
