using ReplDash.Web.Api;
using ReplDash.Web.Components;
using ReplDash.Web.Hubs;

namespace ReplDash.Web.Extensions;

/// <summary>Maps the dashboard's middleware and endpoints: static files, Blazor, the JSON API, the CSV export, the SignalR hub.</summary>
public static class DashboardEndpointExtensions
{
    /// <summary>Static files from the top-level wwwroot/ and package assets, then Blazor and the API.</summary>
    public static WebApplication MapReplDashDashboard(this WebApplication app)
    {
        // UseStaticFiles rather than MapStaticAssets: the build manifest MapStaticAssets reads only knows
        // the project's own wwwroot, and ours is at the repository root.
        app.UseStaticFiles();
        app.UseAntiforgery();

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapDashboardApi();
        app.MapMetricHistoryApi();
        app.MapOperatorActions();
        app.MapEventExport();
        app.MapConsistencyApi();
        app.MapHub<ClusterHub>(ClusterHub.Path);
        return app;
    }
}
