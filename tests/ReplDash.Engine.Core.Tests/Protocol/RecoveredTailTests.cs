using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Protocol;

/// <summary>
/// A master restarted after a crash with items beyond the committed position it knew (lesson L4 after a crash): the
/// recovered tail waits as a durable write does, visible once a slave acknowledges it again or the semi-sync timeout
/// switches OFF; the unsafe old rule shows it at once.
/// </summary>
public class RecoveredTailTests
{
    private static readonly MasterIdentity Identity = new("m1", "c1", "secret", ["s1"], SemiSyncConfig.Default with { TimeoutMs = 100 });

    /// <summary>Two writes made durable by a first incarnation whose slave never acknowledged them.</summary>
    private static (MemoryLog Log, BinlogPosition End) CrashedWithAnUnacknowledgedTail()
    {
        var first = new MachinePair();
        first.Write(1, "a");
        var item = first.Write(2, "b");
        first.MasterStep(m => m.OnSynced(item.End, first.NowUs));
        Assert.Empty(first.Released);
        return (first.Log, item.End);
    }

    [Fact]
    public void TheTail_IsInvisibleAtStart_AndTheEventSaysSo()
    {
        var (log, end) = CrashedWithAnUnacknowledgedTail();

        var master = new MasterMachine(Identity, new ProtocolOptions(), log, end, 2, committedThrough: MemoryLog.First, nowUs: 5_000_000);
        var ready = master.TakeReady();

        Assert.Equal(MemoryLog.First, master.Visible);
        Assert.Equal(MemoryLog.First, ready.Visible);
        Assert.Equal((MemoryLog.First, end), master.RecoveredTail);
        Assert.Contains(ready.Events, e => e.Kind == "recovered-tail");
        Assert.Equal(5_000_000 + 100_000, ready.NextTickUs); // its semi-sync wait began at the restart
    }

    [Fact]
    public void TheTail_BecomesVisible_WhenTheSemiSyncTimeoutSwitchesOff()
    {
        var (log, end) = CrashedWithAnUnacknowledgedTail();
        var master = new MasterMachine(Identity, new ProtocolOptions(), log, end, 2, committedThrough: MemoryLog.First, nowUs: 5_000_000);
        master.TakeReady();

        master.Tick(5_000_000 + 99_000);
        Assert.Equal(MemoryLog.First, master.TakeReady().Visible);
        master.Tick(5_000_000 + 100_000);
        var ready = master.TakeReady();

        Assert.False(Assert.Single(ready.SemiSyncSwitches).On);
        Assert.Contains(ready.Events, e => e.Kind == "semisync-off");
        Assert.Equal(end, ready.Visible);
    }

    [Fact]
    public void TheTail_BecomesVisible_OnceTheSlaveAcknowledgesIt()
    {
        var (log, end) = CrashedWithAnUnacknowledgedTail();
        var master = new MasterMachine(Identity, new ProtocolOptions(), log, end, 2, committedThrough: MemoryLog.First, nowUs: 1_000_000);
        master.TakeReady();
        var none = new PositionMark(BinlogPosition.Zero, 0, TransactionId.None);
        var slave = new SlaveMachine(new SlaveIdentity("s1", "m1", "secret", ""), new ProtocolOptions(), new SlaveStart(none, none), 1_000_000);
        long now = 1_000_000;
        slave.Start(now);
        slave.TakeReady();
        slave.OnConnected(MachinePair.Link, now);
        var toMaster = new List<LinkFrame>(slave.TakeReady().Frames);
        master.OnLinkUp(MachinePair.Link, MachinePair.Nonce, now);
        var toSlave = new List<LinkFrame>(master.TakeReady().Frames);
        for (int round = 0; round < 20 && (toSlave.Count + toMaster.Count) > 0; round++)
        {
            foreach (var frame in Take(toSlave))
            {
                slave.OnFrame(MachinePair.Link, frame.Message, now);
                var s = slave.TakeReady();
                toMaster.AddRange(s.Frames);
                if (s.RelaySyncTo is { } sync)
                {
                    // Not acknowledged (and so not visible) before the slave's relay log is synced.
                    Assert.Equal(MemoryLog.First, master.Visible);
                    slave.OnRelaySynced(sync, now);
                    toMaster.AddRange(slave.TakeReady().Frames);
                }
            }
            foreach (var frame in Take(toMaster))
            {
                master.OnFrame(MachinePair.Link, frame.Message, now);
                var m = master.TakeReady();
                toSlave.AddRange(m.Frames);
            }
        }

        Assert.Equal(end, master.Visible);
        Assert.True(master.SemiSyncOn); // released by the ack, not by a timeout
    }

    [Fact]
    public void WithTheUnsafeOldRule_TheTailIsVisibleAtOnce()
    {
        var (log, end) = CrashedWithAnUnacknowledgedTail();

        var master = new MasterMachine(Identity, new ProtocolOptions(Unsafe: UnsafeSwitches.RecoveredTailVisible), log, end, 2,
            committedThrough: MemoryLog.First, nowUs: 5_000_000);

        Assert.Equal(end, master.TakeReady().Visible);
    }

    [Fact]
    public void WithNoSlaveToWaitFor_TheTailIsVisibleAtOnce()
    {
        var (log, end) = CrashedWithAnUnacknowledgedTail();

        var master = new MasterMachine(Identity with { AcceptedSlaves = [] }, new ProtocolOptions(), log, end, 2,
            committedThrough: MemoryLog.First, nowUs: 5_000_000);

        Assert.Equal(end, master.TakeReady().Visible); // semi-sync starts OFF: the tail is released as a write would be
    }

    private static List<LinkFrame> Take(List<LinkFrame> frames)
    {
        var taken = frames.ToList();
        frames.Clear();
        return taken;
    }
}
