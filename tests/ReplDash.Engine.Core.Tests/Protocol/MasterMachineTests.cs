using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Protocol;

public class MasterMachineTests
{
    [Fact]
    public void AWrite_IsAppendedAndSynced_ShippedOnlyOnceDurable_AndReleasedOnlyAfterTheAck()
    {
        var pair = new MachinePair();
        pair.Connect();

        var item = pair.Write(1, "k");

        Assert.Single(pair.LastMaster.Appends);
        Assert.Equal(item.End, pair.LastMaster.SyncTo);
        Assert.Empty(pair.LastMaster.Frames); // not durable yet: nothing shipped
        Assert.Empty(pair.Released);

        pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));
        var batch = Assert.IsType<ItemBatch>(Assert.Single(pair.LastMaster.Frames).Message);
        Assert.True(batch.AckNow); // semi-sync enabled: the slave acknowledges at once
        Assert.Empty(pair.Released); // durable here, but no slave has it yet
        Assert.True(pair.Master.Visible < item.End); // AfterSync: readers do not see it either

        pair.Exchange(); // the slave appends it and asks for a relay sync; no ack before the sync
        Assert.Equal(item.End, pair.LastSlave.RelaySyncTo);
        Assert.Empty(pair.Released);
        pair.SlaveStep(s => s.OnRelaySynced(item.End, pair.NowUs));
        var ack = Assert.IsType<Ack>(pair.Exchange().Single());

        Assert.Equal((item.Start, item.End, true), (ack.RangeStart, ack.RangeEnd, ack.First));
        Assert.Equal([1L], pair.Released);
        Assert.Equal(item.End, pair.Master.Visible);
    }

    [Fact]
    public void AnAckForARangeNeverSent_IsWindowCorruption_AndClosesTheLink()
    {
        var pair = new MachinePair();
        pair.Connect();
        var item = pair.Write(1, "k");
        pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));

        var ready = pair.MasterStep(m => m.OnFrame(MachinePair.Link, new Ack(item.End, item.End with { Offset = item.End.Offset + 10 }, default, false), pair.NowUs));

        Assert.Contains(ready.Events, e => e.Kind == "window-corruption");
        Assert.Equal(MachinePair.Link, Assert.Single(ready.Closes).LinkId);
        Assert.Empty(pair.Master.Sessions);
        Assert.Empty(pair.Released);
    }

    [Fact]
    public void SemiSyncTimesOut_ReleasesTheWrite_AndSwitchesOff()
    {
        var pair = new MachinePair(semiSync: SemiSyncConfig.Default with { TimeoutMs = 100 });
        pair.Connect();
        var item = pair.Write(1, "k");
        var synced = pair.MasterStep(m => m.OnSynced(item.End, pair.NowUs));
        Assert.Equal(pair.NowUs + 100_000, synced.NextTickUs);

        var ready = pair.MasterStep(m => m.Tick(pair.NowUs + 100_000));

        Assert.False(Assert.Single(ready.SemiSyncSwitches).On);
        Assert.Equal([1L], ready.Released);
        Assert.False(pair.Master.SemiSyncOn);
    }

    [Fact]
    public void AfterASnapshot_TheSlaveCountsForSemiSyncOnlyFromItsFirstAck()
    {
        // Found by the simulator (seed 10): counting the snapshot's tag as acknowledged when the snapshot was only sent
        // released a write that no slave held (the slave could still crash before swapping the snapshot in).
        var pair = new MachinePair();
        pair.SlaveStep(s => s.RequestFullResync(pair.NowUs));
        pair.Write(1, "a");
        var first = pair.Log.Items[0];
        pair.MasterStep(m => m.OnSynced(first.End, pair.NowUs)); // no slave: semi-sync OFF... ON at start, waits
        pair.SlaveStep(s => s.Start(pair.NowUs));
        pair.SlaveStep(s => s.OnConnected(MachinePair.Link, pair.NowUs));
        pair.MasterStep(m => m.OnLinkUp(MachinePair.Link, MachinePair.Nonce, pair.NowUs));
        pair.Exchange();
        var request = Assert.Single(pair.LastMaster.SnapshotRequests);
        var snapshot = new MasterSnapshot(new SnapshotBegin(first.End, 0, first.Id, 1), [], new SnapshotEnd("d"));

        pair.MasterStep(m => m.OnSnapshotReady(request, snapshot, pair.NowUs));

        Assert.Empty(pair.Released); // the snapshot is on its way, not loaded
        Assert.Equal(MasterSessionPhase.Streaming, Assert.Single(pair.Master.Sessions).Phase);
    }

    [Fact]
    public void AHelloWithTheWrongSecret_IsRefused()
    {
        var pair = new MachinePair();
        pair.MasterStep(m => m.OnLinkUp(MachinePair.Link, MachinePair.Nonce, pair.NowUs));

        var ready = pair.MasterStep(m => m.OnFrame(MachinePair.Link,
            new Hello(ReplicationCodec.ProtocolVersion, "s1", "m1", new byte[32], ""), pair.NowUs));

        var error = Assert.IsType<ErrorMessage>(ready.Frames.Last().Message);
        Assert.Equal(ReplicationErrorCodes.Refused, error.Code);
        Assert.Single(ready.Closes);
    }
}
