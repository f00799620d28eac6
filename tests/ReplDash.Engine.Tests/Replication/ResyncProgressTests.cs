using ReplDash.Engine.Replication;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>The slave's resync progress record: phases in order, counts and rate, and a superseded attempt that cannot touch it.</summary>
public class ResyncProgressTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void AttemptRunToTheEnd_ReportsEachPhaseCountsAndARateFrozenAtTheFinish()
    {
        var time = new ManualTime();
        var progress = new ResyncProgress(time);
        Assert.Null(progress.Current());

        var attempt = progress.Begin("requested by dashboard");
        Assert.Equal(attempt.Number, progress.Pending?.Number);
        time.Now += TimeSpan.FromSeconds(1);
        attempt.Receiving(100);
        attempt.Received(40, 400);
        time.Now += TimeSpan.FromSeconds(1);
        var receiving = progress.Current()!;
        Assert.Equal(("receiving", 100L, 40L, 400L, 20.0), (receiving.Phase, receiving.KeysTotal, receiving.KeysReceived, receiving.BytesReceived, receiving.KeysPerSecond));
        Assert.Null(receiving.FinishedAt);
        Assert.Null(progress.Pending);

        attempt.Received(60, 600);
        attempt.Loading();
        attempt.CatchingUp();
        Assert.Equal(attempt.Number, progress.CatchingUpAttempt?.Number);
        time.Now += TimeSpan.FromSeconds(3);
        var done = attempt.Complete(view => $"{view.KeysReceived} keys");
        Assert.NotNull(done);
        Assert.Equal(("completed", 100L, 1000L, 20.0, "100 keys"), (done.Phase, done.KeysReceived, done.BytesReceived, done.KeysPerSecond, done.Outcome));
        Assert.Equal(["requested", "receiving", "loading", "catching-up", "completed"], done.Phases!.Select(p => p.Phase));
        Assert.Equal(done.StartedAt + TimeSpan.FromSeconds(5), done.FinishedAt);
        Assert.Equal("requested by dashboard", done.Trigger);

        time.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(20.0, progress.Current()!.KeysPerSecond); // the rate is over the resync's own time
        Assert.Null(attempt.Fail("too late")); // a finished attempt stays finished
        Assert.Equal("completed", progress.Current()!.Phase);
    }

    [Fact]
    public void SupersededAttempt_CannotChangeTheNewOne()
    {
        var progress = new ResyncProgress(new ManualTime());
        var first = progress.Begin("master: position purged");
        first.Receiving(10);
        var second = progress.Begin("requested by api");

        // The first attempt's link is cut by the new request: its failure must not end the second.
        Assert.Null(first.Fail("the link was closed"));
        first.Received(10, 100);
        var current = progress.Current()!;
        Assert.Equal(("requested", 0L, "requested by api"), (current.Phase, current.KeysReceived, current.Trigger));

        var failed = second.Fail("digest mismatch");
        Assert.Equal(("failed", "digest mismatch"), (failed!.Phase, failed.Outcome));
        Assert.Null(second.Complete(_ => "no"));
    }
}
