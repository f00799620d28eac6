using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using ReplDash.Web.Store.Consistency;
using ReplDash.Web.Store.Events;
using ReplDash.Web.Store.Metrics;
using ReplDash.Web.Store.Security;

namespace ReplDash.Web.Store;

/// <summary>
/// The dashboard's own operations state (events and metric history now; check runs, reports and audit later).
/// Never on the write path of replicated data. Also the dashboard's users, roles and API keys (ASP.NET Core Identity).
/// </summary>
public sealed class DashboardDbContext : IdentityDbContext<IdentityUser>
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

    /// <summary>API keys of the REST API and the hub, stored hashed.</summary>
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Identity's tables (AspNetUsers, AspNetRoles...) first, then ours.
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DashboardDbContext).Assembly);
    }
}
