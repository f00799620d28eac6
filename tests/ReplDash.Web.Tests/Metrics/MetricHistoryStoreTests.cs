using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReplDash.Testing;
using ReplDash.Web.Extensions;
using ReplDash.Web.Metrics;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Tests.Metrics;

/// <summary>Metric history against a real SQLite file migrated like the app's: roll-up to minutes, pruning, reads.</summary>
public sealed class MetricHistoryStoreTests : IAsyncLifetime
{
    // A fixed instant well inside a minute, so "the current minute" is unambiguous.
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 30, 20, TimeSpan.Zero);

    private readonly string _directory = RepositoryPaths.NewTempDirectory("metric-history");
    private FileContextFactory _factory = default!;
    private MetricHistoryStore _store = default!;

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<DashboardDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_directory, "dashboard.db")}", o => o.MigrationsAssembly(DashboardServiceExtensions.MigrationsAssemblyName))
            .Options;
        _factory = new FileContextFactory(options);
        await using (var context = _factory.CreateDbContext())
        {
            await context.Database.MigrateAsync();
        }

        _store = new MetricHistoryStore(_factory);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RollUp_FoldsEachCompleteMinutePerNode_AveragingRatesAndKeepingWorstLag()
    {
        var minute = Now.AddMinutes(-2);
        var minuteStart = MetricDownsampler.MinuteStart(minute.ToUnixTimeMilliseconds());
        await _store.AppendAsync(
        [
            Second("s1", minuteStart + 0, ops: 100, lagMs: 5, end: 1_000),
            Second("s1", minuteStart + 1_000, ops: 300, lagMs: 40, end: 2_000),
            Second("s1", minuteStart + 59_000, ops: 200, lagMs: 10, end: 3_000),
            Second("m1", minuteStart + 30_000, ops: 50, lagMs: null, end: 3_000),
            // The current minute is not complete: it must not be rolled up yet.
            Second("s1", MetricDownsampler.MinuteStart(Now.ToUnixTimeMilliseconds()) + 1_000, ops: 999, lagMs: 999, end: 9_000),
        ]);

        var written = await _store.RollUpAndPruneAsync(Now);

        Assert.Equal(2, written);
        var minutes = await _store.ReadAsync(MetricDownsampler.MinuteResolutionSeconds, Now.AddHours(-1));
        var s1 = Assert.Single(minutes, m => m.NodeId == "s1");
        Assert.Equal(minuteStart, s1.TimeUnixMs);
        Assert.Equal(200, s1.OpsPerSecond, precision: 6);
        Assert.Equal(40, s1.LagMs);
        Assert.Equal(3_000, s1.EndLogical);
        Assert.Null(Assert.Single(minutes, m => m.NodeId == "m1").LagMs);
    }

    [Fact]
    public async Task RollUp_CalledAgain_DoesNotRollTheSameMinuteTwice()
    {
        var minuteStart = MetricDownsampler.MinuteStart(Now.AddMinutes(-1).ToUnixTimeMilliseconds());
        await _store.AppendAsync([Second("s1", minuteStart, ops: 1, lagMs: 1, end: 1)]);

        Assert.Equal(1, await _store.RollUpAndPruneAsync(Now));
        Assert.Equal(0, await _store.RollUpAndPruneAsync(Now.AddSeconds(5)));

        Assert.Single(await _store.ReadAsync(MetricDownsampler.MinuteResolutionSeconds, Now.AddHours(-1)));
    }

    [Fact]
    public async Task Prune_DropsSecondsAfterAnHourAndMinutesAfterADay()
    {
        var now = Now.ToUnixTimeMilliseconds();
        await _store.AppendAsync(
        [
            Second("s1", now - (long)TimeSpan.FromMinutes(61).TotalMilliseconds, ops: 1, lagMs: 0, end: 1),
            Second("s1", now - (long)TimeSpan.FromMinutes(59).TotalMilliseconds, ops: 2, lagMs: 0, end: 2),
            Minute("s1", MetricDownsampler.MinuteStart(now - (long)TimeSpan.FromHours(25).TotalMilliseconds)),
            Minute("s1", MetricDownsampler.MinuteStart(now - (long)TimeSpan.FromHours(23).TotalMilliseconds)),
        ]);

        await _store.RollUpAndPruneAsync(Now);

        var seconds = await _store.ReadAsync(MetricHistoryStore.SecondResolutionSeconds, Now.AddDays(-2));
        Assert.Equal([2.0], seconds.Select(s => s.OpsPerSecond));
        var minutes = await _store.ReadAsync(MetricDownsampler.MinuteResolutionSeconds, Now.AddDays(-2));
        Assert.DoesNotContain(minutes, m => m.TimeUnixMs < now - (long)TimeSpan.FromDays(1).TotalMilliseconds);
        Assert.Contains(minutes, m => m.TimeUnixMs == MetricDownsampler.MinuteStart(now - (long)TimeSpan.FromHours(23).TotalMilliseconds));
    }

    [Fact]
    public async Task Read_FiltersByNodeAndTime_OldestFirst()
    {
        var now = Now.ToUnixTimeMilliseconds();
        await _store.AppendAsync(
        [
            Second("s1", now - 2_000, ops: 2, lagMs: 0, end: 2),
            Second("s2", now - 1_000, ops: 9, lagMs: 0, end: 9),
            Second("s1", now - 1_000, ops: 3, lagMs: 0, end: 3),
            Second("s1", now - 10_000, ops: 1, lagMs: 0, end: 1),
        ]);

        var read = await _store.ReadAsync(MetricHistoryStore.SecondResolutionSeconds, Now.AddSeconds(-5), "s1");

        Assert.Equal([2.0, 3.0], read.Select(s => s.OpsPerSecond));
    }

    private static MetricSampleRecord Second(string nodeId, long timeUnixMs, double ops, long? lagMs, long end) => new()
    {
        NodeId = nodeId,
        ResolutionSeconds = MetricHistoryStore.SecondResolutionSeconds,
        TimeUnixMs = timeUnixMs,
        OpsPerSecond = ops,
        EndLogical = end,
        LagMs = lagMs,
    };

    private static MetricSampleRecord Minute(string nodeId, long timeUnixMs) => new()
    {
        NodeId = nodeId,
        ResolutionSeconds = MetricDownsampler.MinuteResolutionSeconds,
        TimeUnixMs = timeUnixMs,
    };

    private sealed class FileContextFactory(DbContextOptions<DashboardDbContext> options) : IDbContextFactory<DashboardDbContext>
    {
        public DashboardDbContext CreateDbContext() => new(options);
    }
}
