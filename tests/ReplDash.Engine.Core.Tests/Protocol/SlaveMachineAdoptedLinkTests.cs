using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Protocol;

/// <summary>
/// <see cref="SlaveMachine.OnStreamLinked"/>: a driver that ran the handshake and TrySync itself hands the link to the
/// machine, which then streams with every rule of its own (the engine's SlaveDriver does this).
/// </summary>
public class SlaveMachineAdoptedLinkTests
{
    private static readonly SemiSyncConfig NoSemiSync = SemiSyncConfig.Default with { Enabled = false };

    [Fact]
    public void AnAdoptedLink_Streams_AndItsFirstAckStartsWhereTrySyncContinued()
    {
        var pair = new MachinePair(new ProtocolOptions(AckCoalesceMs: 5), NoSemiSync);
        var first = pair.Write(1, "a");
        var second = pair.Write(2, "b");
        pair.SlaveStep(s => s.OnStreamLinked(MachinePair.Link, first.Start, pair.NowUs));
        Assert.Equal(SlavePhase.Streaming, pair.Slave.Phase);

        var received = pair.SlaveStep(s => s.OnFrame(MachinePair.Link,
            new ItemBatch(0, [new ShippedItem(first.Start, first.Encoded), new ShippedItem(second.Start, second.Encoded)], AckNow: true), pair.NowUs));

        Assert.Equal([first.Start, second.Start], received.RelayAppends.Select(a => a.Start));
        Assert.Equal([first.End, second.End], received.Applies.Select(a => a.End));
        Assert.Equal(second.End, received.RelaySyncTo);
        Assert.Empty(received.Frames); // sync before ack
        var ack = Assert.IsType<Ack>(Assert.Single(pair.SlaveStep(s => s.OnRelaySynced(second.End, pair.NowUs)).Frames).Message);
        Assert.Equal((first.Start, second.End, true), (ack.RangeStart, ack.RangeEnd, ack.First));
    }

    [Fact]
    public void AnAdoptedLink_ContinuesTheRelayLog_ItDoesNotRestartIt()
    {
        var pair = new MachinePair(new ProtocolOptions(AckCoalesceMs: 5), NoSemiSync);
        var first = pair.Write(1, "a");
        var second = pair.Write(2, "b");
        var held = new PositionMark(first.End, first.Encoded.Length, first.Id);
        var slave = new SlaveMachine(new SlaveIdentity("s1", "m1", "secret", "c1"), new ProtocolOptions(), new SlaveStart(held, held), pair.NowUs);
        slave.OnStreamLinked(7, first.End, pair.NowUs);
        slave.TakeReady();

        // An item the relay log already holds is not appended again: it does not continue the log, the link closes.
        slave.OnFrame(7, new ItemBatch(0, [new ShippedItem(first.Start, first.Encoded)], AckNow: false), pair.NowUs);
        var refused = slave.TakeReady();
        Assert.Empty(refused.RelayAppends);
        Assert.Equal(7, refused.Close?.LinkId);
        Assert.Equal(SlavePhase.Down, slave.Phase);

        var again = new SlaveMachine(new SlaveIdentity("s1", "m1", "secret", "c1"), new ProtocolOptions(), new SlaveStart(held, held), pair.NowUs);
        again.OnStreamLinked(8, first.End, pair.NowUs);
        again.OnFrame(8, new ItemBatch(first.Encoded.Length, [new ShippedItem(second.Start, second.Encoded)], AckNow: false), pair.NowUs);
        Assert.Equal(second.Start, Assert.Single(again.TakeReady().RelayAppends).Start);
        Assert.Equal(second.End, again.Received.Position);
    }

    [Fact]
    public void AnAdoptedLink_TimesOut_AndKeepsHeartbeating_WhileIdle()
    {
        var pair = new MachinePair(new ProtocolOptions(LinkTimeoutMs: 300), NoSemiSync);
        pair.SlaveStep(s => s.OnStreamLinked(MachinePair.Link, MemoryLog.First, pair.NowUs));
        Assert.Equal(pair.NowUs + 100_000, pair.LastSlave.NextTickUs); // a heartbeat is due a third of the timeout later

        var idle = pair.SlaveStep(s => s.Tick(pair.NowUs + 100_000));
        Assert.IsType<Heartbeat>(Assert.Single(idle.Frames).Message);
        var timeout = pair.SlaveStep(s => s.Tick(pair.NowUs + 300_000));
        Assert.Contains(timeout.Events, e => e.Kind == "link-timeout");
        Assert.Equal(MachinePair.Link, timeout.Close?.LinkId);
    }

    [Theory]
    [InlineData(BinlogFormat.SegmentHeaderSize, true)]
    [InlineData(BinlogFormat.SegmentHeaderSize + 1, false)]
    public void AnItemThatStartsTheNextSegment_ContinuesTheRelayLog_OnlyAtItsFirstItemOffset(long offset, bool continues)
    {
        // The master rotated its binlog: its next item is the first of binlog.000002 (BinlogWriter.AppendEncoded's rule).
        var pair = new MachinePair(semiSync: NoSemiSync);
        var first = pair.Write(1, "a");
        var second = pair.Write(2, "b");
        pair.SlaveStep(s => s.OnStreamLinked(MachinePair.Link, first.Start, pair.NowUs));
        var rotated = new BinlogPosition(first.Start.FileNumber + 1, offset);

        var ready = pair.SlaveStep(s => s.OnFrame(MachinePair.Link,
            new ItemBatch(0, [new ShippedItem(first.Start, first.Encoded), new ShippedItem(rotated, second.Encoded)], AckNow: false), pair.NowUs));

        Assert.Equal(continues ? [first.Start, rotated] : [first.Start], ready.RelayAppends.Select(a => a.Start));
        Assert.Equal(continues, ready.Close is null);
        Assert.Equal(continues ? rotated with { Offset = offset + second.Encoded.Length } : first.End, pair.Slave.Received.Position);
    }

    [Theory]
    [InlineData(SlavePhase.Streaming)]
    [InlineData(SlavePhase.Connecting)]
    public void OnlyAMachineThatIsDown_CanAdoptALink(SlavePhase phase)
    {
        var pair = new MachinePair(semiSync: NoSemiSync);
        if (phase == SlavePhase.Streaming)
            pair.SlaveStep(s => s.OnStreamLinked(MachinePair.Link, MemoryLog.First, pair.NowUs));
        else
            pair.SlaveStep(s => s.Start(pair.NowUs));
        Assert.Equal(phase, pair.Slave.Phase);

        Assert.Throws<InvalidOperationException>(() => pair.Slave.OnStreamLinked(2, MemoryLog.First, pair.NowUs));
    }
}
