using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Binlog;

/// <summary>
/// Shipping from memory, on real segment files in a temp dir: a master's flusher appends each group to the memory tail
/// once it is written and synced; a shipping reader catches up on the files, then takes items from memory, falls back
/// to the files when the window dropped its position, and returns. Whatever it reads from, it hands out the same items
/// at the same positions as the files hold, never beyond its limit, and memory stays within its bound.
/// </summary>
public class BinlogMemoryTailTests
{
    private static readonly BinlogPosition NoLimit = new(long.MaxValue, long.MaxValue);

    [Fact]
    public async Task Reader_CatchesUpOnTheFiles_ThenTakesEachNewGroupFromMemory()
    {
        using var log = new TestMaster();
        await log.WriteAsync(1, 20);
        using var reader = new MasterLogReader(log.Directory, log.Tail, log.Start);

        var caughtUp = ReadAll(reader, log.Writer.Progress.Durable);
        Assert.Equal(20, caughtUp.Count);
        Assert.Equal(20, reader.ItemsFromFiles); // a reconnecting slave's range comes from the files (checksums verified)
        Assert.True(reader.ReadsMemory);

        await log.WriteAsync(21, 10);
        var fresh = ReadAll(reader, log.Writer.Progress.Durable);
        Assert.Equal(10, fresh.Count);
        Assert.Equal(10, reader.ItemsFromMemory);
        AssertSameAsFiles(log.Directory, log.Start, caughtUp.Concat(fresh).ToList());
    }

    [Fact]
    public async Task SegmentRotation_MemoryHandsOutTheFilesOwnPositions_AndLogicalOffsets()
    {
        using var log = new TestMaster(segmentBytes: 600);
        using var reader = new MasterLogReader(log.Directory, log.Tail, log.Start);
        Assert.False(reader.TryReadNext(log.Writer.Progress.Durable, out _)); // caught up at once: memory from here on
        Assert.True(reader.ReadsMemory);

        await log.WriteAsync(1, 120);
        var items = ReadAll(reader, log.Writer.Progress.Durable);
        Assert.Equal(120, items.Count);
        Assert.Equal(120, reader.ItemsFromMemory);
        Assert.True(items[^1].Start.FileNumber >= 4, "the items must span several segments");
        AssertSameAsFiles(log.Directory, log.Start, items);
        foreach (var item in items)
        {
            Assert.True(log.Tail.TryLogicalOffsetOf(item.Start, out long logical));
            Assert.Equal(LogicalOffsetFromHeader(log.Directory, item.Start), logical);
        }
    }

    [Fact]
    public async Task Window_HoldsItsItemBoundariesOnly_DropsTheOldestBeyondItsBound_AndNothingBeyondTheLimit()
    {
        using var log = new TestMaster();
        await log.WriteAsync(1, 8);
        var items = FileItems(log.Directory, log.Start, log.Writer.Progress.Durable);
        long lastFive = items.Skip(3).Sum(i => i.Encoded.Length + BinlogMemoryTail.ItemOverheadBytes);
        long startLogical = LogicalOffsetFromHeader(log.Directory, log.Start);
        var tail = new BinlogMemoryTail(log.Start, startLogical, lastFive);
        tail.Append(items, startLogical);

        Assert.Equal(5, tail.Count);
        Assert.Equal(lastFive, tail.Bytes);
        Assert.Equal(items[3].Start, tail.Start); // the three oldest were dropped
        Assert.Equal(items[^1].End, tail.End);
        Assert.True(tail.Holds(items[3].Start));
        Assert.True(tail.Holds(items[5].Start));
        Assert.True(tail.Holds(tail.End)); // caught up: the next group will be here
        Assert.False(tail.Holds(items[2].Start)); // dropped
        Assert.False(tail.Holds(items[5].Start with { Offset = items[5].Start.Offset + 1 })); // inside an item
        Assert.True(tail.TryLogicalOffsetOf(items[5].Start, out long logical));
        Assert.Equal(LogicalOffsetFromHeader(log.Directory, items[5].Start), logical);

        long serial = -1;
        Assert.Equal(MemoryTailRead.CaughtUp, tail.TryRead(items[4].Start, items[4].End with { Offset = items[4].End.Offset - 1 }, ref serial, out _));
        var limited = new List<ShippedItem>();
        serial = -1;
        var position = items[3].Start;
        while (tail.TryRead(position, items[5].End, ref serial, out var item) == MemoryTailRead.Item)
        {
            limited.Add(item);
            position = item.End;
        }
        Assert.Equal(items.Skip(3).Take(3).Select(i => i.Start), limited.Select(i => i.Start));
        Assert.Equal(MemoryTailRead.NotHeld, tail.TryRead(items[0].Start, NoLimit, ref serial, out _));

        // An item that does not continue the window starts a new one: readers of the old window go to the files.
        tail.Append([new ShippedItem(new BinlogPosition(items[^1].End.FileNumber, items[^1].End.Offset + 100), items[0].Encoded)], 999_999);
        Assert.False(tail.Holds(items[^1].End));
        Assert.Equal(1, tail.Count);
    }

    [Fact]
    public async Task SlowReader_FallsBackToTheFiles_MemoryStaysBounded_AndItReturnsToMemoryOnceCaughtUp()
    {
        const long capacity = 4096;
        using var log = new TestMaster(segmentBytes: 2000, capacityBytes: capacity);
        using var reader = new MasterLogReader(log.Directory, log.Tail, log.Start);
        Assert.False(reader.TryReadNext(log.Writer.Progress.Durable, out _));
        Assert.True(reader.ReadsMemory);

        // The slave does not read while 300 items are flushed: the window drops the oldest, whatever the reader.
        for (int batch = 0; batch < 30; batch++)
        {
            await log.WriteAsync(1 + batch * 10, 10);
            Assert.InRange(log.Tail.Bytes, 0, capacity);
        }
        Assert.False(log.Tail.Holds(reader.Position));

        var items = ReadAll(reader, log.Writer.Progress.Durable);
        Assert.Equal(300, items.Count);
        Assert.Equal(1, reader.FellBehind);
        Assert.Equal(300, reader.ItemsFromFiles);
        Assert.True(reader.ReadsMemory); // caught up on the files, back on memory

        await log.WriteAsync(301, 5);
        var after = ReadAll(reader, log.Writer.Progress.Durable);
        Assert.Equal(5, after.Count);
        Assert.Equal(5, reader.ItemsFromMemory);
        AssertSameAsFiles(log.Directory, log.Start, items.Concat(after).ToList());
    }

    [Fact]
    public async Task CatchUp_ReadsTheFiles_SoDamageIsFoundEvenWhereMemoryHoldsTheItem()
    {
        using var log = new TestMaster();
        await log.WriteAsync(1, 10);
        var items = FileItems(log.Directory, log.Start, log.Writer.Progress.Durable);
        Assert.True(log.Tail.Holds(items[4].Start));
        FileDamage.FlipByte(BinlogDirectory.SegmentPath(log.Directory, items[4].Start.FileNumber), items[4].Start.Offset + 20);

        using var reader = new MasterLogReader(log.Directory, log.Tail, log.Start);
        Assert.Throws<BinlogCorruptException>(() => ReadAll(reader, log.Writer.Progress.Durable));
        Assert.Equal(4, reader.ItemsFromFiles);
    }

    [Fact]
    public async Task MasterLog_ReadsInBudgetedBatches_ResumingWhereTheLastCallStopped_FromFilesThenMemory()
    {
        using var log = new TestMaster(segmentBytes: 1500);
        await log.WriteAsync(1, 40);
        using var masterLog = new MasterLog(log.Directory, log.Tail, "m1", () => default);
        var limit = log.Writer.Progress.Durable;

        var read = new List<ShippedItem>();
        var from = log.Start;
        while (masterLog.Read(from, limit, maxItems: 7, maxBytes: 300) is { Count: > 0 } batch)
        {
            Assert.InRange(batch.Count, 1, 7);
            Assert.True(batch.Count == 1 || batch.Sum(i => i.Encoded.Length) <= 300, "a batch stays within its byte budget after its first item");
            Assert.True(batch[0].Start == from || batch[0].Start.FileNumber > from.FileNumber, "a batch continues where asked (or in the next segment)");
            read.AddRange(batch);
            from = batch[^1].End;
        }
        Assert.Equal(40, read.Count);
        AssertSameAsFiles(log.Directory, log.Start, read);

        await log.WriteAsync(41, 3);
        var fresh = masterLog.Read(from, log.Writer.Progress.Durable, 100, 1 << 20);
        Assert.Equal(3, fresh.Count);
        Assert.Equal(LogicalOffsetFromHeader(log.Directory, fresh[1].Start), masterLog.LogicalOffsetOf(fresh[1].Start));
        Assert.Empty(masterLog.Read(fresh[^1].End, log.Writer.Progress.Durable, 100, 1 << 20));
    }

    /// <summary>
    /// Fault test: the flusher hands a group to memory only after its fsync. While the sync is held, nothing of the group
    /// may be read from memory. With <c>UnsafePublishBeforeSync</c> (memory filled before the sync) the item is handed
    /// out while it is not durable, and this test sees it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MemoryTail_HandsOutNoItemWhoseGroupIsNotYetSynced(bool unsafePublishBeforeSync)
    {
        using var syncing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var log = new TestMaster(beforeSync: () =>
        {
            syncing.Set();
            release.Wait(Poll.DefaultTimeout);
        }, unsafePublishBeforeSync: unsafePublishBeforeSync);
        try
        {
            var (start, end) = log.Writer.Append(BinlogTestLog.Item(1, "k1", "v1"));
            Assert.True(syncing.Wait(Poll.DefaultTimeout), "the flusher must reach the group's sync");
            long serial = -1;
            var read = log.Tail.TryRead(start, NoLimit, ref serial, out var early);
            bool handedOutUnsynced = read == MemoryTailRead.Item;
            Assert.True(log.Writer.Progress.Durable < end);
            if (unsafePublishBeforeSync)
            {
                Assert.True(handedOutUnsynced, "the unsafe order must be caught: memory handed out an item before its sync");
                Assert.Equal(start, early.Start);
                return;
            }
            Assert.False(handedOutUnsynced, $"memory handed out {early.Start} before its group was synced");

            release.Set();
            await Poll.UntilAsync(() => log.Writer.Progress.Durable >= end, "the group's sync");
            serial = -1;
            Assert.Equal(MemoryTailRead.Item, log.Tail.TryRead(start, NoLimit, ref serial, out var synced));
            Assert.Equal(end, synced.End);
        }
        finally
        {
            release.Set();
        }
    }

    private static List<ShippedItem> ReadAll(MasterLogReader reader, BinlogPosition limit)
    {
        var items = new List<ShippedItem>();
        while (reader.TryReadNext(limit, out var item))
            items.Add(item);
        return items;
    }

    private static List<ShippedItem> FileItems(string directory, BinlogPosition from, BinlogPosition limit)
    {
        using var files = new BinlogTailReader(directory, from);
        var items = new List<ShippedItem>();
        while (files.TryReadNext(limit, out var item))
            items.Add(item);
        return items;
    }

    /// <summary>The items must be exactly what a file reader finds from <paramref name="from"/>: positions and bytes.</summary>
    private static void AssertSameAsFiles(string directory, BinlogPosition from, List<ShippedItem> items)
    {
        var expected = FileItems(directory, from, items[^1].End);
        Assert.Equal(expected.Select(i => i.Start), items.Select(i => i.Start));
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i].Encoded, items[i].Encoded);
    }

    private static long LogicalOffsetFromHeader(string directory, BinlogPosition position)
    {
        var header = BinlogDirectory.ReadHeader(BinlogDirectory.SegmentPath(directory, position.FileNumber))!.Value;
        return header.StartLogicalOffset + position.Offset - header.FirstItemOffset;
    }

    /// <summary>A master's binlog in a temp dir: a writer syncing every group, with a memory tail.</summary>
    private sealed class TestMaster : IDisposable
    {
        public TestMaster(long segmentBytes = 64 * 1024 * 1024, long capacityBytes = BinlogMemoryTail.DefaultCapacityBytes,
            Action? beforeSync = null, bool unsafePublishBeforeSync = false)
        {
            Directory = RepositoryPaths.NewTempDirectory("memory-tail");
            var recovered = BinlogRecovery.Open(Directory);
            Start = recovered.End;
            Tail = new BinlogMemoryTail(recovered.End, recovered.EndLogicalOffset, capacityBytes);
            Writer = new BinlogWriter(recovered, 1, segmentBytes, _ => { }, e => Failure = e, memoryTail: Tail)
            {
                BeforeGroupSync = beforeSync,
                UnsafePublishBeforeSync = unsafePublishBeforeSync,
            };
        }

        public string Directory { get; }
        public BinlogPosition Start { get; }
        public BinlogMemoryTail Tail { get; }
        public BinlogWriter Writer { get; }
        public Exception? Failure { get; private set; }

        /// <summary>Appends <paramref name="count"/> SETs as one group and waits until they are durable.</summary>
        public async Task WriteAsync(int firstSequence, int count)
        {
            var end = Writer.End;
            for (int i = firstSequence; i < firstSequence + count; i++)
                (_, end) = Writer.Append(BinlogTestLog.Item(i, $"key{i}", new string('v', 20 + i % 30)));
            await Poll.UntilAsync(() => Failure is not null || Writer.Progress.Durable >= end, "the group's sync");
            Assert.Null(Failure);
        }

        public void Dispose() => Writer.Dispose();
    }
}
