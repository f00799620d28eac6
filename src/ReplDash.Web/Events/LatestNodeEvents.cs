using System.Collections.Concurrent;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Events;

/// <summary>
/// The most recent event of each node, in memory, so the Overview shows it on every render without a query.
/// Fed by <see cref="TrackingEventSink"/>; empty after a restart until each node publishes again.
/// </summary>
public sealed class LatestNodeEvents
{
    private readonly ConcurrentDictionary<string, EngineEvent> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string NodeId, string Kind), EngineEvent> _latestByKind = new();

    /// <summary>Records <paramref name="engineEvent"/> as its node's latest (unless a later one is already there).</summary>
    public void Record(EngineEvent engineEvent)
    {
        _latest.AddOrUpdate(engineEvent.NodeId, engineEvent, (_, current) => current.Time > engineEvent.Time ? current : engineEvent);
        _latestByKind.AddOrUpdate((engineEvent.NodeId, engineEvent.Kind), engineEvent, (_, current) => current.Time > engineEvent.Time ? current : engineEvent);
    }

    /// <summary>The node's latest event since start, or null.</summary>
    public EngineEvent? For(string nodeId) => _latest.GetValueOrDefault(nodeId);

    /// <summary>The node's latest event of <paramref name="kind"/> since start, or null.</summary>
    public EngineEvent? For(string nodeId, string kind) => _latestByKind.GetValueOrDefault((nodeId, kind));
}
