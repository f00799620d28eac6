using Microsoft.EntityFrameworkCore;
using ReplDash.Web.Store.Consistency;
using ReplDash.Web.Store.Events;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Store;

/// <summary>
/// The dashboard's own operations state (events and metric history now; check runs, reports and audit later).
/// Never on the write path of replicated data.
/// </summary>
public sealed class DashboardDbContext : DbContext
{
    /// <summary>Creates a context with options from the host (connection string, migrations assembly).</summary>
    public DashboardDbContext(DbContextOptions<DashboardDbContext> options)
        : base(options)
    {
    }

    /// <summary>Things an operator should be able to find later: node starts and stops, recovery actions.</summary>
    public DbSet<EventRecord> Events => Set<EventRecord>();

    /// <summary>Metric history for the charts: per second for an hour, per minute for a day.</summary>
    public DbSet<MetricSampleRecord> MetricSamples => Set<MetricSampleRecord>();

    /// <summary>Consistency-check runs and their progress (docs/CONSISTENCY.md).</summary>
    public DbSet<CheckRunRecord> CheckRuns => Set<CheckRunRecord>();

    /// <summary>Keys that differed in a check run.</summary>
    public DbSet<CheckFindingRecord> CheckFindings => Set<CheckFindingRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DashboardDbContext).Assembly);
    }
}
