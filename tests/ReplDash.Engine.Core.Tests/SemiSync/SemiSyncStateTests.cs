using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.SemiSync;

public class SemiSyncStateTests
{
    private static BinlogPosition P(long offset) => new(1, offset);
    private static SemiSyncConfig Config(int count = 1, long timeoutMs = 1000, SemiSyncWaitPoint waitPoint = SemiSyncWaitPoint.AfterSync) =>
        new(true, waitPoint, count, timeoutMs, SemiSyncTrace.None);

    private static SemiSyncState Durable(SemiSyncState state, params long[] ends)
    {
        foreach (long end in ends)
            state.OnAppended(P(end), 0);
        state.OnLogged(P(ends[^1]), 0);
        return state;
    }

    [Fact]
    public void AfterSync_DurableTransactions_AreNeitherVisibleNorReleasedUntilTheQuorumAcks()
    {
        var state = Durable(new SemiSyncState(Config(), P(32)), 100, 200, 300);

        Assert.Equal(P(300), state.Logged);
        Assert.Equal(P(32), state.Released);
        Assert.Equal(P(32), state.Visible);
        Assert.Equal(P(100), state.WaitPosition);

        state.OnAcks([P(200)], 50);
        Assert.Equal(P(200), state.Released);
        Assert.Equal(P(200), state.Visible);
        Assert.Equal(2, state.YesTx);

        state.OnAcks([P(300)], 60);
        Assert.Equal(P(300), state.Visible);
        Assert.Equal(3, state.YesTx);
        Assert.Equal(0, state.NoTx);
        Assert.Equal(default, state.WaitPosition);
    }

    [Fact]
    public void AfterCommit_MakesDurableTransactionsVisible_ButReleasesRepliesOnlyOnAck()
    {
        var state = Durable(new SemiSyncState(Config(waitPoint: SemiSyncWaitPoint.AfterCommit), P(32)), 100);

        Assert.Equal(P(100), state.Visible);
        Assert.Equal(P(32), state.Released);
        state.OnAcks([P(100)], 10);
        Assert.Equal(P(100), state.Released);
    }

    [Fact]
    public void Quorum_IsTheHighestPositionEnoughSlavesHaveAcknowledged()
    {
        var state = Durable(new SemiSyncState(Config(count: 2), P(32)), 100, 200);

        state.OnAcks([P(200)], 10);
        Assert.Equal(P(32), state.Released); // one slave is not a quorum of two
        state.OnAcks([P(200), P(100)], 10);
        Assert.Equal(P(100), state.Released);
        state.OnAcks([P(200), P(200)], 10);
        Assert.Equal(P(200), state.Released);
        Assert.Equal(P(150), SemiSyncState.QuorumOf([P(150), P(300), P(100)], 2));
        Assert.Equal(default, SemiSyncState.QuorumOf([P(150)], 2));
    }

    [Fact]
    public void Timeout_SwitchesOff_ReleasesEverything_ThenCountsNoTx_UntilTheQuorumCatchesUp()
    {
        var state = new SemiSyncState(Config(timeoutMs: 1000), P(32));
        state.OnAppended(P(100), 0);
        state.OnLogged(P(100), 5_000);

        Assert.Equal(5_000 + 1_000_000, state.NextDeadlineUs);
        Assert.Null(state.CheckTimeout(1_004_999));
        var off = state.CheckTimeout(1_005_000);

        Assert.NotNull(off);
        Assert.False(off.On);
        Assert.Contains("1000 ms", off.Reason);
        Assert.False(state.Status);
        Assert.Equal(1, state.NoTimes);
        Assert.Equal(1, state.NoTx);
        Assert.Equal(P(100), state.Released);
        Assert.Null(state.NextDeadlineUs);

        state.OnAppended(P(200), 0);
        state.OnLogged(P(200), 2_000_000);
        Assert.Equal(P(200), state.Released); // OFF: released at once
        Assert.Equal(2, state.NoTx);

        Assert.Null(state.OnAcks([P(32)], 2_000_000)); // behind the durable end at the switch: stays OFF
        Assert.Null(state.OnAcks([P(100)], 2_000_001)); // behind the durable end at the previous check: stays OFF
        var on = state.OnAcks([P(200)], 2_000_002);
        Assert.NotNull(on);
        Assert.True(on.On);
        Assert.True(state.Status);

        state.OnAppended(P(300), 0);
        state.OnLogged(P(300), 3_000_000);
        Assert.Equal(P(200), state.Released); // ON again: waits
        state.OnAcks([P(300)], 3_000_100);
        Assert.Equal(1, state.YesTx);
        Assert.Equal(100, state.TxWaitTotalUs);
    }

    [Fact]
    public void AppendReportedAfterItWasAlreadyDurable_StillWaitsForItsAck()
    {
        var state = new SemiSyncState(Config(), P(32));
        state.OnLogged(P(100), 0); // the flusher was faster than the node's bookkeeping
        state.OnAppended(P(100), 10);

        Assert.Equal(P(100), state.WaitPosition);
        Assert.Equal(P(32), state.Released);
        state.OnAcks([P(100)], 20);
        Assert.Equal(1, state.YesTx);
    }

    [Fact]
    public void Disabling_ReleasesWaitingTransactions_WithoutCountingThem()
    {
        var state = Durable(new SemiSyncState(Config(), P(32)), 100);

        var off = state.Configure(Config() with { Enabled = false }, 10);

        Assert.NotNull(off);
        Assert.False(state.Status);
        Assert.Equal(P(100), state.Released);
        Assert.Equal(0, state.NoTx);
        Assert.Equal(0, state.NoTimes);
        Assert.True(state.Configure(Config(), 20)!.On);
    }

    [Fact]
    public void Positions_NeverMoveBack_WhenTheWaitPointOrCountChanges()
    {
        var state = Durable(new SemiSyncState(Config(waitPoint: SemiSyncWaitPoint.AfterCommit), P(32)), 100);
        Assert.Equal(P(100), state.Visible);

        state.Configure(Config(), 10);
        Assert.Equal(P(100), state.Visible); // already seen by readers: stays visible
        state.OnAcks([P(100), P(50)], 20);
        state.Configure(Config(count: 2), 30);
        Assert.Equal(P(100), state.Released);
    }

    [Fact]
    public void StartsOff_WhenNoSlaveIsConfigured()
    {
        var state = Durable(new SemiSyncState(Config(), P(32), startOn: false), 100);

        Assert.False(state.Status);
        Assert.Equal(P(100), state.Released);
    }
}
