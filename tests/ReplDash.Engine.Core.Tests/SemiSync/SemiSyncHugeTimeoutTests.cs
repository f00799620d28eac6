using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.SemiSync;

/// <summary>
/// Issue 11, case 1: a huge timeout means "wait very long", never "time out at once". The deadline used to be
/// computed as loggedAt + timeoutMs * 1000, which overflowed into the past from about 9.2e15 ms up.
/// </summary>
public class SemiSyncHugeTimeoutTests
{
    private static BinlogPosition P(long offset) => new(1, offset);

    [Theory]
    [InlineData(4_294_967_295L)] // MySQL's maximum, the largest value the settings accept
    [InlineData(9_300_000_000_000_000L)] // beyond the accepted range (state built directly): must still not overflow
    [InlineData(long.MaxValue)]
    public void AHugeTimeout_KeepsSemiSyncOn_AndTheWriteWaiting(long timeoutMs)
    {
        long loggedAtUs = 5_000_000_000; // an uptime of about 83 minutes on the monotonic clock
        var state = new SemiSyncState(new SemiSyncConfig(true, SemiSyncWaitPoint.AfterSync, 1, timeoutMs, SemiSyncTrace.None), P(32));
        state.OnAppended(P(100), loggedAtUs);
        state.OnLogged(P(100), loggedAtUs);

        Assert.NotNull(state.NextDeadlineUs);
        Assert.True(state.NextDeadlineUs > loggedAtUs, $"deadline {state.NextDeadlineUs} is before the wait began");
        Assert.Null(state.CheckTimeout(loggedAtUs + 3_600_000_000)); // an hour later: still waiting
        Assert.True(state.Status);
        Assert.Equal(P(32), state.Released);
        Assert.Equal(0, state.NoTimes);
    }

    [Fact]
    public void LoweringTheTimeoutWhileAWriteWaits_TimesItOutFromWhenItBegan()
    {
        var state = new SemiSyncState(new SemiSyncConfig(true, SemiSyncWaitPoint.AfterSync, 1, 4_294_967_295, SemiSyncTrace.None), P(32));
        state.OnAppended(P(100), 0);
        state.OnLogged(P(100), 0);
        Assert.Null(state.CheckTimeout(2_000_000));

        state.Configure(state.Config with { TimeoutMs = 1000 }, 2_000_000);
        Assert.Equal(1_000_000, state.NextDeadlineUs);
        var off = state.CheckTimeout(2_000_000);
        Assert.NotNull(off);
        Assert.False(off.On);
        Assert.Equal(P(100), state.Released);
    }
}
