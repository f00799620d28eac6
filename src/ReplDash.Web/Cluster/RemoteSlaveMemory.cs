using System.Collections.Immutable;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Cluster;

/// <summary>
/// Remembers every slave in another process that a hosted master has listed since start (slave id → master
/// id), so the topology can keep drawing, in red, a remote slave whose link is gone. Fed with every status
/// read by <see cref="ClusterNotifier"/>, whether or not a page is open. Thread-safe.
/// </summary>
public sealed class RemoteSlaveMemory
{
    private readonly object _gate = new();
    private ImmutableDictionary<string, string> _seen = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Notes the remote slaves <paramref name="nodes"/>' masters list now; returns every one seen so far.</summary>
    public IReadOnlyDictionary<string, string> Remember(IReadOnlyList<NodeStatus> nodes)
    {
        lock (_gate)
        {
            foreach (var master in nodes)
                foreach (var view in master.Slaves ?? [])
                    if (nodes.All(n => n.Id != view.SlaveId))
                        _seen = _seen.SetItem(view.SlaveId, master.Id); // unchanged (same instance) when already known
            return _seen;
        }
    }
}
