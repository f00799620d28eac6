using ReplDash.Web.Api;
using ReplDash.Web.Cluster;

namespace ReplDash.Web.Hubs;

/// <summary>
/// Payload of the hub's <c>snapshot</c> method: the body of <c>GET /api/cluster</c> (<see cref="Nodes"/>)
/// plus when the engine status was read and when the message left the server.
/// </summary>
/// <param name="Nodes">Every hosted node, as <c>/api/cluster</c> shows it.</param>
/// <param name="TakenAt">When the notifier read the engine's status (UTC).</param>
/// <param name="TakenAtUnixMs"><paramref name="TakenAt"/> in milliseconds since 1970-01-01 UTC, for latency arithmetic.</param>
/// <param name="SentAtUnixMs">When the server handed the message to SignalR, milliseconds since 1970-01-01 UTC.</param>
public sealed record ClusterSnapshotMessage(IReadOnlyList<NodeStatusDto> Nodes, DateTimeOffset TakenAt, long TakenAtUnixMs, long SentAtUnixMs)
{
    /// <summary>Maps a notifier snapshot at send time <paramref name="sentAt"/>.</summary>
    public static ClusterSnapshotMessage From(ClusterSnapshot snapshot, DateTimeOffset sentAt) => new(
        snapshot.Nodes.Select(NodeStatusDto.From).ToList(),
        snapshot.TakenAt,
        snapshot.TakenAt.ToUnixTimeMilliseconds(),
        sentAt.ToUnixTimeMilliseconds());
}
