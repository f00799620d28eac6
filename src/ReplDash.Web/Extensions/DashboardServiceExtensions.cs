using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Cluster;
using ReplDash.Web.Events;
using ReplDash.Web.Hubs;
using ReplDash.Web.Health;
using ReplDash.Web.Metrics;
using ReplDash.Web.Store;

namespace ReplDash.Web.Extensions;

/// <summary>Registers the dashboard: Blazor Server with MudBlazor, the EF Core store, the event sink, the notifier and the hub.</summary>
public static class DashboardServiceExtensions
{
    /// <summary>The assembly that holds every migration and the model snapshot (top-level <c>migrations/</c>).</summary>
    public const string MigrationsAssemblyName = "ReplDash.Migrations";

    /// <summary>
    /// Adds the dashboard's services. Call before <c>AddReplDashEngine()</c>: hosted services start in
    /// registration order, and the store must be migrated before any node publishes an event.
    /// </summary>
    public static WebApplicationBuilder AddReplDashDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Dialogs, snackbars and popovers; the theme choice lives in a cookie read by App.razor (ThemeCookie).
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
        });

        // Resolved lazily from the built host's configuration, so test hosts can point DataDir elsewhere.
        services.AddDbContextFactory<DashboardDbContext>((provider, options) => options.UseSqlite(
            DashboardStorePaths.ConnectionString(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>()),
            sqlite => sqlite.MigrationsAssembly(MigrationsAssemblyName)));
        services.AddSingleton<EventStoreReader>();

        services.AddSingleton<StoredEventFeed>();
        services.AddSingleton<EngineEventQueue>();
        services.AddSingleton<LatestNodeEvents>();
        services.AddSingleton<ClusterHealth>();
        services.AddSingleton<IEngineEventSink, TrackingEventSink>();
        services.AddHostedService<DashboardStoreMigrator>();
        services.AddHostedService<EventStoreWriter>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClusterNotifier>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterNotifier>());

        // The hub for outside consumers (JSON protocol, SignalR's default); Blazor's circuits use their own.
        services.AddSignalR();
        services.AddHostedService<ClusterHubBroadcaster>();
        // After the migrator: the sampler reads the store as it starts.
        services.AddSingleton<MetricHistory>();
        services.AddSingleton<MetricHistoryStore>();
        services.AddSingleton<HistoryRangeReader>();
        services.AddHostedService<MetricSampler>();

        return builder;
    }
}
