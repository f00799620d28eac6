using ReplDash.Web.Metrics;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Api;

/// <summary>One metric sample in <c>GET /api/nodes/{id}/metrics</c>; null fields do not apply to the node's role.</summary>
public sealed record MetricSampleDto(DateTimeOffset Time, int ResolutionSeconds, double OpsPerSecond, double WriteBytesPerSecond,
    long EndLogical, long? DurableLogical, long? AppliedLogical, long? RelaySyncedLogical, long? SentLogical, long? AckedLogical,
    long? LagBytes, long? LagItems, long? LagMs, long? AckLatencyP50Us, long? AckLatencyP99Us, int? InFlightItems, long? InFlightBytes)
{
    /// <summary>Maps a stored or in-memory sample.</summary>
    public static MetricSampleDto From(MetricSampleRecord s) => new(DateTimeOffset.FromUnixTimeMilliseconds(s.TimeUnixMs), s.ResolutionSeconds,
        s.OpsPerSecond, s.WriteBytesPerSecond, s.EndLogical, s.DurableLogical, s.AppliedLogical, s.RelaySyncedLogical, s.SentLogical,
        s.AckedLogical, s.LagBytes, s.LagItems, s.LagMs, s.AckLatencyP50Us, s.AckLatencyP99Us, s.InFlightItems, s.InFlightBytes);
}

/// <summary>Body of <c>GET /api/nodes/{id}/metrics</c>: samples oldest first.</summary>
public sealed record MetricHistoryResponse(string NodeId, string Range, IReadOnlyList<MetricSampleDto> Samples);

/// <summary>The metric history the node charts draw, for scripts: <c>GET /api/nodes/{id}/metrics?range=live|hour|day</c>.</summary>
public static class MetricHistoryEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapMetricHistoryApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/nodes/{id}/metrics", async (string id, string? range, HistoryRangeReader reader, CancellationToken cancellationToken) =>
        {
            if (ParseRange(range) is not { } parsed)
            {
                return Results.BadRequest(new { error = $"unknown range '{range}'; use live, hour or day" });
            }

            var samples = await reader.ReadAsync(id, parsed, cancellationToken);
            return Results.Ok(new MetricHistoryResponse(id, range ?? "live", samples.Select(MetricSampleDto.From).ToList()));
        });
        return endpoints;
    }

    private static HistoryRange? ParseRange(string? range) => range?.ToLowerInvariant() switch
    {
        null or "" or "live" => HistoryRange.FiveMinutes,
        "hour" => HistoryRange.Hour,
        "day" => HistoryRange.Day,
        _ => null,
    };
}
