using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;

namespace ReplDash.Web.Api;

/// <summary>The dashboard's JSON API and health check.</summary>
public static class DashboardApiEndpoints
{
    /// <summary>Events returned when the caller names no <c>take</c>.</summary>
    public const int DefaultEventTake = 100;

    /// <summary>Maps <c>/healthz</c>, <c>/api/cluster</c> and <c>/api/events</c>.</summary>
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous: load balancers and scripts that wait for the process ask it without credentials; it says nothing else.
        endpoints.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();

        // Read fresh rather than from the notifier: scripts polling right after a write expect to see it.
        endpoints.MapGet("/api/cluster", (IClusterStatus clusterStatus) =>
            new ClusterResponse(clusterStatus.Nodes().Select(NodeStatusDto.From).ToList()));

        // `node` and `nodeId` both name the node: `node` matches the CSV export, `nodeId` came first.
        endpoints.MapGet("/api/events", async (EventStoreReader reader, string? node, string? nodeId, string? kind, DateTimeOffset? from,
            DateTimeOffset? to, int? skip, int? take, CancellationToken cancellationToken) =>
        {
            var filter = new EventFilter(node ?? nodeId, kind, from, to);
            var page = await reader.ReadPageAsync(filter, skip ?? 0, take ?? DefaultEventTake, cancellationToken);
            return new EventsResponse(page.Items.Select(EventDto.From).ToList(), page.TotalCount);
        });

        return endpoints;
    }
}
