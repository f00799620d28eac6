using Microsoft.AspNetCore.Authorization;
using ReplDash.Web.Api;
using ReplDash.Web.Components;
using ReplDash.Web.Hubs;
using ReplDash.Web.Security;

namespace ReplDash.Web.Extensions;

/// <summary>
/// Maps the dashboard's middleware and endpoints: static files, sign-in, Blazor, the JSON API, the CSV export, the
/// SignalR hub. Everything but static files, <c>/healthz</c> and sign-in needs a Viewer; the API's writes an Operator.
/// </summary>
public static class DashboardEndpointExtensions
{
    /// <summary>Static files from the top-level wwwroot/ and package assets, then Blazor and the API.</summary>
    public static WebApplication MapReplDashDashboard(this WebApplication app)
    {
        // UseStaticFiles rather than MapStaticAssets: the build manifest MapStaticAssets reads only knows
        // the project's own wwwroot, and ours is at the repository root.
        // Static files before authentication: the sign-in page needs its CSS, and none of them is secret.
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapSignIn();

        // The REST API: reads need a Viewer, anything else an Operator, decided by the HTTP method so that an endpoint
        // added later cannot be forgotten.
        var api = app.MapGroup("");
        ((IEndpointConventionBuilder)api).Add(RequireOperatorForWrites);
        api.MapDashboardApi();
        api.MapMetricHistoryApi();
        api.MapOperatorActions();
        api.MapEventExport();
        api.MapConsistencyApi();
        app.MapHub<ClusterHub>(ClusterHub.Path).RequireAuthorization(SecurityServiceExtensions.ViewerPolicy);
        return app;
    }

    /// <summary>Viewer for an endpoint answering only GET or HEAD, Operator for every other.</summary>
    private static void RequireOperatorForWrites(EndpointBuilder endpoint)
    {
        var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
        bool readOnly = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
        endpoint.Metadata.Add(new AuthorizeAttribute(readOnly ? SecurityServiceExtensions.ViewerPolicy : SecurityServiceExtensions.OperatorPolicy));
    }
}
