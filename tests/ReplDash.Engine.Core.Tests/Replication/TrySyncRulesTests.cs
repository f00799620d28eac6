using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Replication;

public class TrySyncRulesTests
{
    /// <summary>
    /// The master's binlog: segment 1 holds m1:1 [32,132) and m1:2 [132,182); segment 2 holds m1:3 [32,232)
    /// and m1:4 [232,300). The durable end is 2:300.
    /// </summary>
    private static readonly (BinlogPosition Start, BinlogPosition End, TransactionId Id)[] Items =
    [
        (new(1, 32), new(1, 132), new("m1", 1)),
        (new(1, 132), new(1, 182), new("m1", 2)),
        (new(2, 32), new(2, 232), new("m1", 3)),
        (new(2, 232), new(2, 300), new("m1", 4)),
    ];

    private static readonly BinlogPosition DurableEnd = new(2, 300);

    private static MasterBinlogView View(BinlogPosition retainedStart, bool startsAtBeginning) =>
        new(retainedStart, startsAtBeginning, DurableEnd, IsBoundary, IdBefore);

    private static MasterBinlogView Unpurged => View(new BinlogPosition(1, 32), startsAtBeginning: true);

    /// <summary>Purged up to m1:2: the binlog now starts at 1:132.</summary>
    private static MasterBinlogView Purged => View(new BinlogPosition(1, 132), startsAtBeginning: false);

    // An item start, or the end of an item (where the slave's relay log stops after receiving it).
    private static bool IsBoundary(BinlogPosition p) => Items.Any(i => i.Start == p || i.End == p);

    private static TransactionId IdBefore(BinlogPosition p)
    {
        // Like a real binlog, the id before a position is only defined at a boundary.
        if (!IsBoundary(p))
            throw new InvalidOperationException($"IdBefore asked about {p}, which is not a boundary");
        int index = Array.FindIndex(Items, i => i.End == p);
        if (index >= 0)
            return Items[index].Id;
        int next = Array.FindIndex(Items, i => i.Start == p);
        return next == 0 ? TransactionId.None : Items[next - 1].Id;
    }

    private static TrySync Request(long file, long offset, string origin, long sequence) =>
        new(new BinlogPosition(file, offset), 0, new TransactionId(origin, sequence), BinlogPosition.Zero);

    /// <summary>Segment 1 is damaged: nothing before segment 2's first item is shipped.</summary>
    private static MasterBinlogView DamagedSegmentOne => Unpurged with { DamagedThrough = new BinlogPosition(2, 32) };

    [Theory]
    [InlineData(1, 132, 1)] // the slave needs m1:2, in the damaged range
    [InlineData(2, 32, 2)]  // exactly at the mark: its history (m1:2) can only be proven from the damaged segment
    public void PositionInOrAtTheDamagedRange_GetsAFullResync(long file, long offset, long sequence)
    {
        var reply = TrySyncRules.Decide(Request(file, offset, "m1", sequence), DamagedSegmentOne);

        Assert.Equal(TrySyncOutcome.FullResync, reply.Outcome);
        Assert.Contains("binlog damaged", reply.Reason);
    }

    [Fact]
    public void NewSlave_WhenTheBinlogIsDamaged_GetsAFullResync()
    {
        var reply = TrySyncRules.Decide(new TrySync(BinlogPosition.Zero, 0, TransactionId.None, BinlogPosition.Zero), DamagedSegmentOne);

        Assert.Equal(TrySyncOutcome.FullResync, reply.Outcome);
    }

    [Fact]
    public void PositionBeyondTheDamagedRange_Continues()
    {
        var reply = TrySyncRules.Decide(Request(2, 232, "m1", 3), DamagedSegmentOne);

        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        Assert.Equal(new BinlogPosition(2, 232), reply.From);
    }

    [Fact]
    public void NewSlave_WhenNothingWasPurged_ContinuesFromTheRetainedStart()
    {
        var reply = TrySyncRules.Decide(new TrySync(BinlogPosition.Zero, 0, TransactionId.None, BinlogPosition.Zero), Unpurged);

        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        Assert.Equal(new BinlogPosition(1, 32), reply.From);
    }

    [Fact]
    public void NewSlave_WhenTheBinlogStartIsPurged_GetsAFullResync()
    {
        var reply = TrySyncRules.Decide(new TrySync(BinlogPosition.Zero, 0, TransactionId.None, BinlogPosition.Zero), Purged);

        Assert.Equal(TrySyncOutcome.FullResync, reply.Outcome);
        Assert.False(string.IsNullOrEmpty(reply.Reason));
    }

    [Theory]
    [InlineData(1, 32, "", 0)]          // the very first item, no longer on disk
    [InlineData(1, 100, "m1", 1)]       // purged and not even a boundary: purge wins
    [InlineData(0, 500, "m1", 1)]       // an older file than any retained
    public void PurgedPosition_GetsAFullResync(long file, long offset, string origin, long sequence)
    {
        var reply = TrySyncRules.Decide(Request(file, offset, origin, sequence), Purged);

        Assert.Equal(TrySyncOutcome.FullResync, reply.Outcome);
        Assert.Contains("purged", reply.Reason);
    }

    [Theory]
    [InlineData(2, 301)]
    [InlineData(2, 400)]
    [InlineData(3, 32)]
    public void PositionBeyondTheDurableEnd_GetsAFullResync(long file, long offset)
    {
        var reply = TrySyncRules.Decide(Request(file, offset, "m1", 4), Unpurged);

        Assert.Equal(TrySyncOutcome.FullResync, reply.Outcome);
        Assert.Contains("beyond", reply.Reason);
    }

    [Theory]
    [InlineData(1, 33)]   // one byte into m1:1
    [InlineData(1, 131)]  // one byte before m1:1 ends
    [InlineData(1, 150)]  // inside m1:2
    [InlineData(2, 100)]  // inside m1:3
    [InlineData(2, 299)]  // one byte before the durable end
    public void MidItemPosition_IsRefusedAsNotAStartPoint(long file, long offset)
    {
        // Lesson L1: a slave that read its position while an apply was running reports a mid-item offset.
        var reply = TrySyncRules.Decide(Request(file, offset, "m1", 1), Unpurged);

        Assert.Equal(TrySyncOutcome.NotBoundary, reply.Outcome);
        Assert.Contains("not a start point", reply.Reason);
        Assert.NotEqual(new BinlogPosition(file, offset), reply.From);
    }

    [Theory]
    [InlineData(1, 132, "m1", 7)]   // right place, a transaction the master never wrote there
    [InlineData(1, 132, "m2", 1)]   // same sequence, another origin: another history
    [InlineData(1, 132, "", 0)]     // the slave says it holds nothing, but the master has m1:1 before 1:132
    [InlineData(2, 300, "m1", 3)]   // durable end, but the slave's last transaction is one behind
    [InlineData(1, 32, "m1", 1)]    // start of the binlog, yet the slave claims to hold m1:1
    public void BoundaryWithAnotherPreviousTransaction_GetsAFullResync(long file, long offset, string origin, long sequence)
    {
        var reply = TrySyncRules.Decide(Request(file, offset, origin, sequence), Unpurged);

        Assert.Equal(TrySyncOutcome.FullResync, reply.Outcome);
        Assert.Contains("another history", reply.Reason);
    }

    [Theory]
    [InlineData(1, 32, "", 0)]      // start of the binlog with an empty relay log
    [InlineData(1, 132, "m1", 1)]
    [InlineData(1, 182, "m1", 2)]   // end of segment 1
    [InlineData(2, 32, "m1", 2)]    // start of segment 2
    [InlineData(2, 232, "m1", 3)]
    [InlineData(2, 300, "m1", 4)]   // exactly the durable end: nothing to send yet, but no resync
    public void MatchingBoundaryAndTransaction_ContinuesFromThatPosition(long file, long offset, string origin, long sequence)
    {
        var reply = TrySyncRules.Decide(Request(file, offset, origin, sequence), Unpurged);

        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        Assert.Equal(new BinlogPosition(file, offset), reply.From);
    }

    [Fact]
    public void MatchingPositionExactlyAtTheRetainedStartOfAPurgedBinlog_Continues()
    {
        var reply = TrySyncRules.Decide(Request(1, 132, "m1", 1), Purged);

        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        Assert.Equal(new BinlogPosition(1, 132), reply.From);
    }

    [Fact]
    public void AppliedPositionDoesNotDecide_OnlyTheReceivedPositionDoes()
    {
        // The slave may have applied less than it received; streaming continues after what it holds.
        var request = Request(2, 232, "m1", 3) with { Applied = new BinlogPosition(1, 132) };

        var reply = TrySyncRules.Decide(request, Unpurged);

        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        Assert.Equal(new BinlogPosition(2, 232), reply.From);
    }
}
