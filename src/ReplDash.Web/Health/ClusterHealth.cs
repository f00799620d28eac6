using System.Collections.Concurrent;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;

namespace ReplDash.Web.Health;

/// <summary>The health verdicts pages show: the classifier fed with the latest link-down event of each node.</summary>
public sealed class ClusterHealth
{
    private readonly LatestNodeEvents _events;

    // Slave id → master id of every slave in another process that a hosted master has listed since start.
    private readonly ConcurrentDictionary<string, string> _remoteSlaves = new(StringComparer.Ordinal);

    /// <summary>Creates the service over the latest-event map.</summary>
    public ClusterHealth(LatestNodeEvents events) => _events = events;

    /// <summary>The verdict for <paramref name="node"/> at <paramref name="now"/> (the snapshot's time).</summary>
    public HealthVerdict Of(NodeStatus node, DateTimeOffset now) =>
        LinkHealthClassifier.Classify(node, _events.For(node.Id, LinkHealthClassifier.LinkDownEventKind)?.Time, now);

    /// <summary>
    /// Notes the remote slaves <paramref name="nodes"/>' masters list now and returns every one seen since start,
    /// so the topology can keep drawing (red) a remote slave whose link is gone.
    /// </summary>
    public IReadOnlyDictionary<string, string> RemoteSlavesSeen(IReadOnlyList<NodeStatus> nodes)
    {
        foreach (var master in nodes)
        {
            foreach (var view in master.Slaves ?? [])
            {
                if (nodes.All(n => n.Id != view.SlaveId))
                {
                    _remoteSlaves[view.SlaveId] = master.Id;
                }
            }
        }

        return _remoteSlaves;
    }
}
