using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ReplDash.Testing;
using ReplDash.Web.Cluster;
using ReplDash.Web.Extensions;
using ReplDash.Web.Metrics;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Metrics;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Metrics;

/// <summary>The sampler over a real SQLite file: it seeds the charts from the store at start and writes a sample each second.</summary>
public sealed class MetricSamplerTests : IAsyncLifetime
{
    private readonly string _directory = RepositoryPaths.NewTempDirectory("metric-sampler");
    private DbContextOptions<DashboardDbContext> _options = default!;

    public async Task InitializeAsync()
    {
        _options = new DbContextOptionsBuilder<DashboardDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_directory, "dashboard.db")}", o => o.MigrationsAssembly(DashboardServiceExtensions.MigrationsAssemblyName))
            .Options;
        await using var context = new DashboardDbContext(_options);
        await context.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Start_SeedsChartsWithStoredHistory_ThenStoresNewSamples()
    {
        var store = new MetricHistoryStore(new FileContextFactory(_options));
        // What a previous run left: a sample of m1 a minute ago.
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        await store.AppendAsync([new MetricSampleRecord { NodeId = "m1", ResolutionSeconds = 1, TimeUnixMs = earlier, OpsPerSecond = 42 }]);

        var history = new MetricHistory();
        var notifier = new ClusterNotifier(new FakeClusterStatus(), TimeProvider.System, NullLogger<ClusterNotifier>.Instance);
        var sampler = new MetricSampler(notifier, history, store, TimeProvider.System, NullLogger<MetricSampler>.Instance);
        await sampler.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(history.For("m1").Count >= 2), "the seeded sample and a new one");
            Assert.Equal(earlier, history.For("m1")[0].TimeUnixMs);
            Assert.Equal(42, history.For("m1")[0].OpsPerSecond);
            await Eventually.TrueAsync(async () => (await store.ReadAsync(1, DateTimeOffset.UtcNow.AddSeconds(-30), "s1")).Count > 0,
                "a new sample of s1 in the store");
        }
        finally
        {
            await sampler.StopAsync(CancellationToken.None);
        }
    }

    private sealed class FileContextFactory(DbContextOptions<DashboardDbContext> options) : IDbContextFactory<DashboardDbContext>
    {
        public DashboardDbContext CreateDbContext() => new(options);
    }
}
