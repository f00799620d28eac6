using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Protocol;

/// <summary>A binlog in memory that rotates to the next segment once one reaches <paramref name="segmentBytes"/>.</summary>
internal sealed class SegmentedLog(long segmentBytes = long.MaxValue) : IMasterLog
{
    public static readonly BinlogPosition First = new(1, BinlogFormat.SegmentHeaderSize);
    public List<AppendItem> Items { get; } = new();

    public IReadOnlyList<ShippedItem> Read(BinlogPosition from, BinlogPosition upTo, int maxItems, long maxBytes) =>
        Items.Where(i => i.Start >= from && i.End <= upTo).Take(maxItems).Select(i => new ShippedItem(i.Start, i.Encoded)).ToArray();

    public long LogicalOffsetOf(BinlogPosition position) =>
        Items.TakeWhile(i => i.Start < position).Sum(i => (long)i.Encoded.Length);

    public MasterBinlogView View(BinlogPosition durableEnd, long lastSequence) =>
        new(First, true, durableEnd, p => p == durableEnd || Items.Any(i => i.Start == p || i.End == p),
            p => Items.FirstOrDefault(i => i.End == p)?.Id ?? TransactionId.None, default, "m1", lastSequence);

    public BinlogPosition NextItemStart(BinlogPosition end) =>
        end.Offset >= segmentBytes ? new BinlogPosition(end.FileNumber + 1, BinlogFormat.SegmentHeaderSize) : end;
}

/// <summary>
/// The master machine's SendBack phase (lesson L5), its heal wait, WAIT and segment rotation, input by input. The master
/// here is one that lost the tail of its binlog: <see cref="Rig"/> builds a history of items, then a master holding only
/// a prefix of it.
/// </summary>
public class MasterMachineSendBackTests
{
    private const long Now = 1_000_000;
    private static readonly byte[] Nonce = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    private sealed class Rig
    {
        public SegmentedLog Log { get; }
        public MasterMachine Master { get; }
        public AppendItem[] History { get; }

        /// <param name="items">Items in the full history.</param>
        /// <param name="kept">How many of them the master still holds.</param>
        public Rig(int items, int kept, ProtocolOptions? options = null, string[]? slaves = null, long segmentBytes = long.MaxValue)
        {
            History = Encode(items, segmentBytes);
            Log = new SegmentedLog(segmentBytes);
            Log.Items.AddRange(History.Take(kept));
            var end = kept == 0 ? SegmentedLog.First : History[kept - 1].End;
            Master = new MasterMachine(new MasterIdentity("m1", "c1", "secret", slaves ?? ["s1"], SemiSyncConfig.Default with { Enabled = false }),
                options ?? new ProtocolOptions(), Log, end, kept);
        }

        public MasterReady Step(Action<MasterMachine> input)
        {
            input(Master);
            var ready = Master.TakeReady();
            Log.Items.AddRange(ready.Appends);
            return ready;
        }

        /// <summary>Handshake of <paramref name="slave"/> on <paramref name="link"/>, then its TrySync at the end of <paramref name="holds"/> items.</summary>
        public MasterReady TrySync(long link, string slave, int holds, bool fullResync = false)
        {
            Step(m => m.OnLinkUp(link, Nonce, Now));
            Step(m => m.OnFrame(link, new Hello(ReplicationCodec.ProtocolVersion, slave, "m1", SecretProof.Compute("secret", Nonce), "c1"), Now));
            var last = holds == 0 ? null : History[holds - 1];
            var request = new TrySync(last?.End ?? BinlogPosition.Zero, 0, last?.Id ?? TransactionId.None, last?.End ?? BinlogPosition.Zero, fullResync);
            return Step(m => m.OnFrame(link, request, Now));
        }

        public ShippedItem Shipped(int index) => new(History[index].Start, History[index].Encoded);
    }

    private static AppendItem[] Encode(int count, long segmentBytes)
    {
        var items = new List<AppendItem>();
        var end = SegmentedLog.First;
        for (int i = 1; i <= count; i++)
        {
            if (end.Offset >= segmentBytes)
                end = new BinlogPosition(end.FileNumber + 1, BinlogFormat.SegmentHeaderSize);
            var item = EncodeAt(end, new TransactionId("m1", i), $"k{i}");
            items.Add(item);
            end = item.End;
        }
        return items.ToArray();
    }

    private static AppendItem EncodeAt(BinlogPosition start, TransactionId id, string key)
    {
        var encoded = new ArrayBufferWriter<byte>();
        BinlogItemCodec.Encode(new BinlogItem(BinlogItemType.Transaction, id, 0, [["SET"u8.ToArray(), System.Text.Encoding.ASCII.GetBytes(key), "v"u8.ToArray()]]), encoded);
        return new AppendItem(start, encoded.WrittenSpan.ToArray(), id);
    }

    private static T Frame<T>(MasterReady ready) => ready.Frames.Select(f => f.Message).OfType<T>().Single();

    [Fact]
    public void ASlaveAhead_IsAskedForItsItems_WhichAreTakenBack_ThenItContinuesOnceTheyAreDurable()
    {
        var rig = new Rig(items: 4, kept: 1);

        var asked = rig.TrySync(1, "s1", holds: 4);

        var sendBack = Frame<TrySyncReply>(asked);
        Assert.Equal((TrySyncOutcome.SendBack, rig.History[0].End), (sendBack.Outcome, sendBack.From));
        Assert.Equal(MasterSessionPhase.SendingBack, Assert.Single(rig.Master.Sessions).Phase);
        Assert.False(rig.Master.AcceptsWrites); // a write now would take the position of the slave's next item

        var first = rig.Step(m => m.OnFrame(1, new TailItems([rig.Shipped(1), rig.Shipped(2)], Final: false), Now));
        Assert.Equal([rig.History[1].Start, rig.History[2].Start], first.Appends.Select(a => a.Start));
        Assert.Equal(2, first.TakenBack.Count);
        var last = rig.Step(m => m.OnFrame(1, new TailItems([rig.Shipped(3)], Final: true), Now));
        Assert.Equal(rig.History[3].End, last.SyncTo);
        Assert.Empty(last.Frames); // not durable yet: no answer

        var synced = rig.Step(m => m.OnSynced(rig.History[3].End, Now));

        var answer = Frame<TrySyncReply>(synced);
        Assert.Equal((TrySyncOutcome.Continue, rig.History[3].End), (answer.Outcome, answer.From));
        Assert.Contains(synced.Events, e => e.Kind == "tail-recovered");
        Assert.Equal(MasterSessionPhase.Streaming, Assert.Single(rig.Master.Sessions).Phase);
        Assert.Equal(4, rig.Master.LastSequence);
        Assert.True(rig.Master.AcceptsWrites);
    }

    [Fact]
    public void ATailItemWithTheWrongSequence_IsRefused_NothingIsAppended_AndTheSlaveIsToldDiverged()
    {
        var rig = new Rig(items: 2, kept: 1);
        rig.TrySync(1, "s1", holds: 2);
        var forged = EncodeAt(rig.History[0].End, new TransactionId("m1", 7), "x");

        var refused = rig.Step(m => m.OnFrame(1, new TailItems([new ShippedItem(forged.Start, forged.Encoded)], Final: true), Now));

        Assert.Empty(refused.Appends);
        Assert.Empty(refused.TakenBack);
        var answer = Frame<TrySyncReply>(refused);
        Assert.Equal(TrySyncOutcome.Diverged, answer.Outcome);
        Assert.Contains("sequence", answer.Reason);
        Assert.Contains(refused.Events, e => e.Kind == "history-diverged");
        Assert.Single(refused.Closes);
        Assert.Equal(1, rig.Master.LastSequence);
    }

    [Fact]
    public void WithTheUnsafeSwitch_ATailItemWithTheWrongSequence_IsTaken()
    {
        // The safe rule above is what refuses it: with the check off, a forged item becomes the master's history.
        var rig = new Rig(items: 2, kept: 1, new ProtocolOptions(Unsafe: UnsafeSwitches.TailItemsUnchecked));
        rig.TrySync(1, "s1", holds: 2);
        var forged = EncodeAt(rig.History[0].End, new TransactionId("other", 7), "x");

        var taken = rig.Step(m => m.OnFrame(1, new TailItems([new ShippedItem(forged.Start, forged.Encoded)], Final: true), Now));

        Assert.Single(taken.Appends);
        Assert.Equal(7, rig.Master.LastSequence);
    }

    [Fact]
    public void ASlaveThatCannotSendBack_GetsDiverged_AndTheNextTrySyncIsAnswered()
    {
        var rig = new Rig(items: 3, kept: 1, slaves: ["s1", "s2"]);
        rig.TrySync(1, "s1", holds: 3);
        var queued = rig.TrySync(2, "s2", holds: 1);
        Assert.Empty(queued.Frames.Select(f => f.Message).OfType<TrySyncReply>()); // one TrySync at a time

        var ready = rig.Step(m => m.OnFrame(1, new ErrorMessage("TAIL_UNAVAILABLE", "relay purged"), Now));

        var replies = ready.Frames.Where(f => f.Message is TrySyncReply).ToArray();
        Assert.Equal((1L, TrySyncOutcome.Diverged), (replies[0].LinkId, ((TrySyncReply)replies[0].Message).Outcome));
        Assert.Equal((2L, TrySyncOutcome.Continue), (replies[1].LinkId, ((TrySyncReply)replies[1].Message).Outcome));
        Assert.Equal(1L, Assert.Single(ready.Closes).LinkId);
    }

    [Fact]
    public void WithTheUnsafeSwitch_ASlaveAheadIsResyncedToTheShorterHistory()
    {
        var safe = new Rig(items: 3, kept: 1).TrySync(1, "s1", holds: 3);
        var unsafeReady = new Rig(items: 3, kept: 1, new ProtocolOptions(Unsafe: UnsafeSwitches.OverwriteSlaveHistory)).TrySync(1, "s1", holds: 3);

        Assert.Equal(TrySyncOutcome.SendBack, Frame<TrySyncReply>(safe).Outcome);
        Assert.Equal(TrySyncOutcome.FullResync, Frame<TrySyncReply>(unsafeReady).Outcome);
    }

    [Fact]
    public void AfterARestart_WritesWaitForEverySlavesTrySync_OrForTheWaitToPass()
    {
        var rig = new Rig(items: 2, kept: 2, slaves: ["s1", "s2"]);
        var start = rig.Step(m => m.AwaitSlaves(500, Now));
        Assert.Contains(start.Events, e => e.Kind == "heal-wait-start");
        Assert.False(rig.Master.AcceptsWrites);
        Assert.Throws<InvalidOperationException>(() => rig.Master.Propose(1, BinlogItemType.Transaction, 0, [["DEL"u8.ToArray(), "k"u8.ToArray()]], Now));

        rig.TrySync(1, "s1", holds: 2);
        Assert.False(rig.Master.AcceptsWrites);
        var second = rig.TrySync(2, "s2", holds: 1);
        Assert.True(rig.Master.AcceptsWrites);
        Assert.Contains(second.Events, e => e.Kind == "heal-wait-end");

        var other = new Rig(items: 2, kept: 2, slaves: ["s1", "s2"]);
        var waiting = other.Step(m => m.AwaitSlaves(500, Now));
        Assert.Equal(Now + 500_000, waiting.NextTickUs);
        other.Step(m => m.Tick(Now + 500_000));
        Assert.True(other.Master.AcceptsWrites);
    }

    [Fact]
    public void Wait_AsksForAPromptAck_AndCountsOnlyWhatIsAcknowledged()
    {
        var rig = new Rig(items: 1, kept: 1);
        rig.TrySync(1, "s1", holds: 1);
        var write = rig.Master.Propose(1, BinlogItemType.Transaction, 0, [["SET"u8.ToArray(), "k"u8.ToArray(), "v"u8.ToArray()]], Now);
        rig.Log.Items.AddRange(rig.Master.TakeReady().Appends);
        var shipped = rig.Step(m => m.OnSynced(write.End, Now));
        Assert.False(Frame<ItemBatch>(shipped).AckNow); // semi-sync off and no WAIT: the slave may coalesce

        var wait = rig.Step(m => m.Wait(9, write.End, 1, 100, Now));

        Assert.Empty(wait.WaitReplies); // sent, not acknowledged: not counted
        var prompt = Frame<ItemBatch>(wait);
        Assert.True(prompt.AckNow);
        Assert.Empty(prompt.Items);
        var acked = rig.Step(m => m.OnFrame(1, new Ack(write.Start, write.End, write.End, false), Now + 10));
        Assert.Equal([(9L, 1)], acked.WaitReplies);

        var late = rig.Step(m => m.Wait(10, write.End, 2, 100, Now + 20));
        Assert.Empty(late.WaitReplies);
        Assert.Equal(Now + 20 + 100_000, late.NextTickUs);
        Assert.Equal([(10L, 1)], rig.Step(m => m.Tick(Now + 20 + 100_000)).WaitReplies);
    }

    [Fact]
    public void WithTheUnsafeSwitch_WaitCountsASlaveThatWasOnlySentTheWrite()
    {
        var rig = new Rig(items: 1, kept: 1, new ProtocolOptions(Unsafe: UnsafeSwitches.WaitCountsSentAsAcked));
        rig.TrySync(1, "s1", holds: 1);
        var write = rig.Master.Propose(1, BinlogItemType.Transaction, 0, [["SET"u8.ToArray(), "k"u8.ToArray(), "v"u8.ToArray()]], Now);
        rig.Log.Items.AddRange(rig.Master.TakeReady().Appends);
        rig.Step(m => m.OnSynced(write.End, Now));

        Assert.Equal([(9L, 1)], rig.Step(m => m.Wait(9, write.End, 1, 100, Now)).WaitReplies);
    }

    [Fact]
    public void AFullSegment_PutsTheNextItemAtTheNextFilesHeader_AndTheSlaveFollows_AndAcksAcrossIt()
    {
        var log = new SegmentedLog(segmentBytes: BinlogFormat.SegmentHeaderSize + 1); // as BinlogWriter: an empty segment never rotates
        var master = new MasterMachine(new MasterIdentity("m1", "c1", "secret", ["s1"], SemiSyncConfig.Default with { Enabled = false }),
            new ProtocolOptions(), log, SegmentedLog.First, 0);

        var first = master.Propose(1, BinlogItemType.Transaction, 0, [["SET"u8.ToArray(), "a"u8.ToArray(), "v"u8.ToArray()]], Now);
        var second = master.Propose(2, BinlogItemType.Transaction, 0, [["SET"u8.ToArray(), "b"u8.ToArray(), "v"u8.ToArray()]], Now);

        Assert.Equal(SegmentedLog.First, first.Start);
        Assert.Equal(new BinlogPosition(2, BinlogFormat.SegmentHeaderSize), second.Start);
        // An ack that starts where the last one ended (the end of segment 1) covers the first item of segment 2.
        var window = new SyncWindow(10, 10_000);
        window.Reset(SegmentedLog.First);
        window.Sent(first.Start, first.End, first.Encoded.Length, 0);
        Assert.True(window.Ack(first.Start, first.End, 0).Valid);
        window.Sent(second.Start, second.End, second.Encoded.Length, 0);
        Assert.True(window.Ack(first.End, second.End, 0).Valid);
    }
}
