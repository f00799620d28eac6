using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.SemiSync;

public class LatencyWindowTests
{
    [Fact]
    public void Summary_GivesNearestRankPercentiles_AndBucketsEverySample()
    {
        var window = new LatencyWindow(windowUs: 1_000_000);
        for (int i = 1; i <= 100; i++)
            window.Record(nowUs: 10, latencyUs: i * 10); // 10, 20, ... 1000 µs

        var summary = window.Summarize(nowUs: 20);

        Assert.Equal(100, summary.Count);
        Assert.Equal(500, summary.P50Us);
        Assert.Equal(900, summary.P90Us);
        Assert.Equal(990, summary.P99Us);
        Assert.Equal(1000, summary.MaxUs);
        Assert.Equal(100, summary.Buckets.Sum(b => b.Count));
        Assert.Equal(10, summary.Buckets.Single(b => b.UpToUs == 100).Count);
        Assert.Equal(50, summary.Buckets.Single(b => b.UpToUs == 1_000).Count);
    }

    [Fact]
    public void SamplesOlderThanTheWindow_AndBeyondCapacity_AreLeftOut()
    {
        var window = new LatencyWindow(windowUs: 100, capacity: 4);
        window.Record(0, 5_000);
        window.Record(500, 1);
        window.Record(500, 2);

        Assert.Equal(2, window.Summarize(550).Count);
        Assert.Equal(2, window.Summarize(550).MaxUs);
        Assert.Equal(0, window.Summarize(10_000).Count);

        for (int i = 0; i < 10; i++)
            window.Record(20_000, 7);
        Assert.Equal(4, window.Summarize(20_000).Count);
        Assert.Equal(13, window.TotalCount);
    }
}
