using ReplDash.Engine.Core.Node;

namespace ReplDash.Engine.Core.Tests.Node;

public class CheckpointPacingTests
{
    private static readonly TimeSpan Configured = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData(0, 200)]      // nothing measured yet (first checkpoint): the configured interval
    [InlineData(1, 200)]      // cheap checkpoints (small keys): the configured interval
    [InlineData(10, 200)]     // 10 ms of work every 200 ms is exactly the 5 % share
    [InlineData(20, 380)]     // a big dirty collection: 19 x the work, so work stays at 5 % of the time
    [InlineData(1000, 19000)] // a very big one: checkpoints spaced by 19 s
    public void NextDelay_IsTheIntervalOrNineteenTimesTheWork(int workMs, int expectedMs)
    {
        var delay = CheckpointPacing.NextDelay(Configured, TimeSpan.FromMilliseconds(workMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Fact]
    public void WorkShare_NeverExceedsTheLimit()
    {
        for (int workMs = 1; workMs <= 5000; workMs += 7)
        {
            var work = TimeSpan.FromMilliseconds(workMs);
            var delay = CheckpointPacing.NextDelay(Configured, work);
            double share = 100 * work / (work + delay);
            Assert.True(share <= CheckpointPacing.MaxWorkSharePercent + 1e-9, $"{workMs} ms of work: {share:F2} %");
        }
    }
}
