using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Binlog;

public class BinlogRecoveryTests
{
    [Fact]
    public void WrittenItems_ReadBackInOrderWithTheirPositions()
    {
        var (directory, items) = BinlogTestLog.Write(20);
        var recovered = BinlogRecovery.Open(directory);

        var read = new BinlogReader(directory).Read(recovered.Start, recovered.End).ToList();

        Assert.Equal(items.Select(i => i.Start), read.Select(e => e.Start));
        Assert.Equal(items.Select(i => i.End), read.Select(e => e.End));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), read.Select(e => e.Item.Id.Sequence));
        Assert.Equal(items[^1].End, recovered.End);
        Assert.Equal(new TransactionId("m1", 20), recovered.LastTransactionId);
        Assert.Null(recovered.TornTail);
    }

    [Theory]
    [InlineData("half-item")]
    [InlineData("zeros")]
    [InlineData("prefix-only")]
    public void TornTail_IsCutAtTheLastWholeItemAndReported(string tail)
    {
        var (directory, items) = BinlogTestLog.Write(5);
        var segment = BinlogDirectory.SegmentPath(directory, 1);
        var extra = BinlogItemCodec.Encode(BinlogTestLog.Item(6, "key6", "torn"));
        byte[] garbage = tail switch
        {
            "half-item" => extra[..(extra.Length / 2)],
            "zeros" => new byte[300],
            _ => extra[..5],
        };
        using (var file = new FileStream(segment, FileMode.Append))
            file.Write(garbage);

        var quarantine = RepositoryPaths.NewTempDirectory("quarantine");
        var recovered = BinlogRecovery.Open(directory, quarantine);

        Assert.NotNull(recovered.TornTail);
        Assert.Equal(items[^1].End.Offset, recovered.TornTail!.Offset);
        Assert.Equal(garbage.Length, recovered.TornTail.BytesDiscarded);
        Assert.Equal(items[^1].End, recovered.End);
        Assert.Equal(items[^1].End.Offset, new FileInfo(segment).Length);
        Assert.Equal(5, new BinlogReader(directory).Read(recovered.Start, recovered.End).Count());
        // The cut bytes were copied aside first, byte for byte, under a name saying where they came from.
        var copy = Assert.Single(Directory.GetFiles(quarantine));
        Assert.Equal(copy, recovered.TornTail.QuarantinePath);
        Assert.StartsWith($"binlog.000001.{items[^1].End.Offset}.", Path.GetFileName(copy));
        Assert.EndsWith(".torn", copy);
        Assert.Equal(garbage, File.ReadAllBytes(copy));
    }

    [Fact]
    public void DamagedLastItem_ThatTheStoreSaysWasDurable_IsRefusedAndTheFileLeftIntact()
    {
        var (directory, items) = BinlogTestLog.Write(5);
        var segment = BinlogDirectory.SegmentPath(directory, 1);
        FileDamage.FlipByte(segment, items[^1].Start.Offset + 20);
        var before = File.ReadAllBytes(segment);

        // The store reflects every item: the last one was durable, so a bad one is damage, not a crash's torn write.
        var error = Assert.Throws<BinlogCorruptException>(() => BinlogRecovery.Open(directory, storePosition: items[^1].End));

        Assert.Equal(items[^1].Start.Offset, error.Offset);
        Assert.Contains("left as it is", error.Message);
        Assert.Equal(before, File.ReadAllBytes(segment));
        Assert.False(Directory.Exists(Path.Combine(directory, "quarantine")));
    }

    [Fact]
    public void CorruptMiddleItem_IsRefusedNamingFileAndOffset()
    {
        var (directory, items) = BinlogTestLog.Write(5);
        var segment = BinlogDirectory.SegmentPath(directory, 1);
        var victim = items[2];
        FileDamage.FlipByte(segment, victim.Start.Offset + 20);

        var error = Assert.Throws<BinlogCorruptException>(() => BinlogRecovery.Open(directory));

        Assert.Equal(segment, error.FilePath);
        Assert.Equal(victim.Start.Offset, error.Offset);
        Assert.Contains("binlog.000001", error.Message);
        Assert.Contains(victim.Start.Offset.ToString(), error.Message);
        // Nothing was cut: the operator still has every byte to investigate.
        Assert.Equal(items[^1].End.Offset, new FileInfo(segment).Length);
    }

    [Fact]
    public void CorruptItem_InAnEarlierSegment_IsFoundAtOpen_AndRefusedWhenRead()
    {
        var (directory, items) = BinlogTestLog.Write(400, segmentBytes: 4096);
        var victim = items.First(i => i.Start.FileNumber == 2 && i.Start.Offset > 1000);
        var segment = BinlogDirectory.SegmentPath(directory, 2);
        FileDamage.FlipByte(segment, victim.Start.Offset + 30);
        long length = new FileInfo(segment).Length;

        var recovered = BinlogRecovery.Open(directory); // every item of every segment is verified at open

        var damage = Assert.Single(recovered.Damage);
        Assert.Equal(2, damage.FileNumber);
        Assert.Equal(victim.Start.Offset, damage.Offset);
        Assert.Equal(segment, damage.FilePath);
        Assert.Equal(items[^1].End, recovered.End); // the rest of the log is whole and kept
        Assert.Equal(length, new FileInfo(segment).Length); // nothing cut
        var error = Assert.Throws<BinlogCorruptException>(() => new BinlogReader(directory).Read(recovered.Start, recovered.End).ToList());
        Assert.Equal(victim.Start.Offset, error.Offset);
        Assert.EndsWith("binlog.000002", error.FilePath);
    }

    [Fact]
    public void Rotation_StartsNewSegmentsAndReadingCrossesThem()
    {
        var (directory, items) = BinlogTestLog.Write(400, segmentBytes: 4096);
        var recovered = BinlogRecovery.Open(directory);

        Assert.True(recovered.Segments.Count > 3, $"expected several segments, got {recovered.Segments.Count}");
        Assert.All(recovered.Segments.Take(recovered.Segments.Count - 1),
            s => Assert.InRange(new FileInfo(s.Path).Length, 4096, 4096 + 200));
        var read = new BinlogReader(directory).Read(recovered.Start, recovered.End).ToList();
        Assert.Equal(400, read.Count);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), read.Select(e => e.Item.Id.Sequence));
        long totalItemBytes = items.Sum(i => i.End.Offset - i.Start.Offset);
        Assert.Equal(totalItemBytes, recovered.EndLogicalOffset);
    }

    [Fact]
    public void ItemBoundaries_AreRecognisedAndMidItemPositionsAreNot()
    {
        var (directory, items) = BinlogTestLog.Write(10);
        var recovered = BinlogRecovery.Open(directory);
        var reader = new BinlogReader(directory);

        Assert.All(items, i => Assert.True(reader.IsItemBoundary(i.Start, recovered.End)));
        Assert.True(reader.IsItemBoundary(recovered.End, recovered.End));
        Assert.False(reader.IsItemBoundary(new BinlogPosition(1, items[3].Start.Offset + 1), recovered.End));
        Assert.False(reader.IsItemBoundary(new BinlogPosition(1, recovered.End.Offset + 10), recovered.End));
    }
}
