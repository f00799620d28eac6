using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Protocol;

public class SlaveMachineTests
{
    [Fact]
    public void ItemsInFlight_AreDrainedBeforeTheNextDial()
    {
        var pair = new MachinePair(semiSync: SemiSyncConfig.Default with { Enabled = false });
        pair.Connect();
        var item = pair.Write(1, "k");
        pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));
        pair.Exchange();
        Assert.Equal(1, pair.Slave.AppliesInFlight);

        pair.SlaveStep(s => s.OnLinkDown(MachinePair.Link, pair.NowUs));
        var ready = pair.SlaveStep(s => s.Tick(pair.NowUs + 1_000_000));

        Assert.False(ready.Dial);
        Assert.Equal(SlavePhase.Draining, pair.Slave.Phase);
        Assert.True(pair.SlaveStep(s => s.OnApplied(item.End, pair.NowUs)).Dial);
    }

    [Fact]
    public void WithTheUnsafeSwitch_ItDialsAtOnce_AndReportsItsAppliedPosition()
    {
        var pair = new MachinePair(new ProtocolOptions(Unsafe: UnsafeSwitches.FirstAckWithoutDrain), SemiSyncConfig.Default with { Enabled = false });
        pair.Connect();
        var item = pair.Write(1, "k");
        pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));
        pair.Exchange();

        pair.SlaveStep(s => s.OnLinkDown(MachinePair.Link, pair.NowUs));
        Assert.True(pair.SlaveStep(s => s.Tick(pair.NowUs + 1_000_000)).Dial);
        pair.SlaveStep(s => s.OnConnected(2, pair.NowUs));
        pair.SlaveStep(s => s.OnFrame(2, new Greeting(ReplicationCodec.ProtocolVersion, "m1", MachinePair.Nonce, "c1"), pair.NowUs));
        var ready = pair.SlaveStep(s => s.OnFrame(2, new Welcome("m1"), pair.NowUs));

        var trySync = Assert.IsType<TrySync>(ready.Frames.Last().Message);
        Assert.Equal(BinlogPosition.Zero, trySync.Received); // the applied position, read while the apply is in flight
    }

    [Fact]
    public void AnItemThatDoesNotContinueTheRelayLog_ClosesTheLink()
    {
        var pair = new MachinePair(semiSync: SemiSyncConfig.Default with { Enabled = false });
        pair.Connect();
        var item = pair.Write(1, "k");

        var ready = pair.SlaveStep(s => s.OnFrame(MachinePair.Link,
            new ItemBatch(0, [new ShippedItem(item.Start with { Offset = item.Start.Offset + 1 }, item.Encoded)], false), pair.NowUs));

        Assert.NotNull(ready.Close);
        Assert.Empty(ready.RelayAppends);
        Assert.Equal(SlavePhase.Down, pair.Slave.Phase);
    }

    [Fact]
    public void CoalescedAcks_WaitForTheDeadline_ThenForTheRelaySync()
    {
        var pair = new MachinePair(new ProtocolOptions(AckCoalesceMs: 5), SemiSyncConfig.Default with { Enabled = false });
        pair.Connect();
        var item = pair.Write(1, "k");
        pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));
        pair.Exchange();
        Assert.Null(pair.LastSlave.RelaySyncTo); // no AckNow: the ack waits for the coalescing deadline
        Assert.Equal(pair.NowUs + 5_000, pair.LastSlave.NextTickUs);

        var due = pair.SlaveStep(s => s.Tick(pair.NowUs + 5_000));
        Assert.Equal(item.End, due.RelaySyncTo);
        Assert.Empty(due.Frames);

        var synced = pair.SlaveStep(s => s.OnRelaySynced(item.End, pair.NowUs + 5_100));
        Assert.IsType<Ack>(Assert.Single(synced.Frames).Message);
    }

    [Fact]
    public void ACheckpoint_WaitsUntilTheRelayLogIsSyncedToTheAppliedPosition()
    {
        var pair = new MachinePair(new ProtocolOptions(AckCoalesceMs: 1_000, CheckpointIntervalMs: 10), SemiSyncConfig.Default with { Enabled = false });
        pair.Connect();
        var item = pair.Write(1, "k");
        pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));
        pair.Exchange();
        pair.SlaveStep(s => s.OnApplied(item.End, pair.NowUs));

        var tick = pair.SlaveStep(s => s.Tick(pair.NowUs + 10_000));
        Assert.Null(tick.Checkpoint);
        Assert.Equal(item.End, tick.RelaySyncTo);

        var synced = pair.SlaveStep(s => s.OnRelaySynced(item.End, pair.NowUs + 10_100));
        Assert.Equal(item.End, synced.Checkpoint?.Position);
    }

    [Fact]
    public void Silence_BeyondTheLinkTimeout_ClosesTheLink_AndRedialsAfterTheBackoff()
    {
        var pair = new MachinePair(new ProtocolOptions(LinkTimeoutMs: 300, MinBackoffMs: 10));
        pair.Connect();

        var timeout = pair.SlaveStep(s => s.Tick(pair.NowUs + 300_000));

        Assert.Contains(timeout.Events, e => e.Kind == "link-timeout");
        Assert.NotNull(timeout.Close);
        Assert.True(pair.SlaveStep(s => s.Tick(pair.NowUs + 300_000 + 10_000)).Dial);
    }
}
