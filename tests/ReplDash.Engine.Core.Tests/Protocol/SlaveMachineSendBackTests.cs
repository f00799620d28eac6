using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Protocol;

/// <summary>The slave's side of SendBack (lesson L5): its relay items go back byte for byte, or it stops as diverged.</summary>
public class SlaveMachineSendBackTests
{
    private const long Link = 1;
    private static readonly BinlogPosition A = new(1, BinlogFormat.SegmentHeaderSize);
    private static readonly BinlogPosition B = new(1, BinlogFormat.SegmentHeaderSize + 100);
    private static readonly BinlogPosition C = new(2, BinlogFormat.SegmentHeaderSize);
    private static readonly BinlogPosition D = new(2, BinlogFormat.SegmentHeaderSize + 100);

    /// <summary>A slave whose relay log ends at <see cref="D"/>, past its TrySync, answered SendBack from <see cref="B"/>.</summary>
    private static (SlaveMachine Slave, SlaveReady Ready) AskedToSendBack()
    {
        var held = new PositionMark(D, 200, new TransactionId("m1", 2));
        var slave = new SlaveMachine(new SlaveIdentity("s1", "m1", "secret", "c1"), new ProtocolOptions(), new SlaveStart(held, held), 0);
        slave.Start(0);
        slave.OnConnected(Link, 0);
        slave.OnFrame(Link, new Greeting(ReplicationCodec.ProtocolVersion, "m1", new byte[16], "c1"), 0);
        slave.OnFrame(Link, new Welcome("m1"), 0);
        Assert.IsType<TrySync>(slave.TakeReady().Frames.Last().Message);
        slave.OnFrame(Link, new TrySyncReply(TrySyncOutcome.SendBack, B, "lost"), 0);
        return (slave, slave.TakeReady());
    }

    [Fact]
    public void SendBack_AsksTheDriverForTheRelayItems_AndSendsThemAsFinalTailItems()
    {
        var (slave, ready) = AskedToSendBack();
        Assert.Equal(new TailReadRequest(Link, B, D), ready.TailRead);

        // The relay log rotated at B: the first item it sends back is segment 2's first.
        slave.OnTailRead([new ShippedItem(C, new byte[100])], null, 1);
        var tail = Assert.IsType<TailItems>(Assert.Single(slave.TakeReady().Frames).Message);

        Assert.True(tail.Final);
        Assert.Equal(C, Assert.Single(tail.Items).Start);
        slave.OnFrame(Link, new TrySyncReply(TrySyncOutcome.Continue, D, "continuing"), 2);
        Assert.Equal(SlavePhase.Streaming, slave.Phase);
    }

    [Fact]
    public void ARelayLogThatNoLongerHoldsTheItems_SaysSo_AndStopsDiverged()
    {
        var (slave, _) = AskedToSendBack();

        slave.OnTailRead(null, "the relay log starts at binlog.000002", 1);
        var ready = slave.TakeReady();

        var error = Assert.IsType<ErrorMessage>(Assert.Single(ready.Frames).Message);
        Assert.Equal("TAIL_UNAVAILABLE", error.Code);
        Assert.Equal(SlavePhase.Diverged, slave.Phase);
        Assert.NotNull(ready.Close);
    }
}
