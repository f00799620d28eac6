using ReplDash.Engine.Hosting;
using ReplDash.Web.Formatting;

namespace ReplDash.Web.Health;

/// <summary>One node drawn in the topology graph.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Role">master or slave.</param>
/// <param name="X">Centre, in SVG units.</param>
/// <param name="Y">Centre, in SVG units.</param>
/// <param name="Health">Its light.</param>
/// <param name="Remote">A slave hosted by another process, known from its master's view of the link (or remembered).</param>
public sealed record TopologyNode(string Id, string Role, double X, double Y, HealthVerdict Health, bool Remote = false);

/// <summary>A replication link drawn from master to slave, coloured by the slave's health, labelled with its lag.</summary>
public sealed record TopologyEdge(string MasterId, string SlaveId, double X1, double Y1, double X2, double Y2, HealthVerdict Health, string Label);

/// <summary>The whole drawing.</summary>
public sealed record TopologyDrawing(double Width, double Height, IReadOnlyList<TopologyNode> Nodes, IReadOnlyList<TopologyEdge> Edges);

/// <summary>
/// Lays the cluster out as a tree: masters on the top row, each master's slaves spread on the row below.
/// A slave is placed under the master that lists its link; a slave whose link is down is not listed by any
/// master, so it goes under the only master when there is one (the common, embedded case), else on its own.
/// Slaves of a hosted master that run in another process are drawn from the master's view of their link; one
/// that was seen before and is no longer connected stays drawn, red, so a remote slave that stops does not
/// silently vanish from the picture.
/// </summary>
public static class TopologyLayout
{
    /// <summary>Width of the drawing in SVG units (it scales to its container).</summary>
    public const double Width = 640;

    /// <summary>Height of the drawing.</summary>
    public const double Height = 230;

    /// <summary>Radius of a node's circle.</summary>
    public const double NodeRadius = 30;

    private const double MasterRowY = 50;
    private const double SlaveRowY = 175;

    /// <summary>
    /// Lays out <paramref name="nodes"/>, each coloured by <paramref name="classify"/>, plus the remote slaves in
    /// <paramref name="rememberedRemoteSlaves"/> (slave id → master id: every remote slave seen since start).
    /// </summary>
    public static TopologyDrawing Build(IReadOnlyList<NodeStatus> nodes, Func<NodeStatus, HealthVerdict> classify,
        IReadOnlyDictionary<string, string>? rememberedRemoteSlaves = null)
    {
        var masters = nodes.Where(n => n.Role != "slave").ToList();
        var slaves = nodes.Where(n => n.Role == "slave").ToList();
        var hostedIds = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var remote = RemoteSlaves(masters, hostedIds, rememberedRemoteSlaves);
        var slaveCount = slaves.Count + remote.Count;
        var placed = new List<TopologyNode>();
        var edges = new List<TopologyEdge>();

        for (var i = 0; i < masters.Count; i++)
        {
            placed.Add(new TopologyNode(masters[i].Id, masters[i].Role, Spread(i, masters.Count), MasterRowY, classify(masters[i])));
        }

        for (var i = 0; i < slaves.Count; i++)
        {
            var slave = slaves[i];
            var node = new TopologyNode(slave.Id, slave.Role, Spread(i, slaveCount), SlaveRowY, classify(slave));
            placed.Add(node);
            var master = masters.FirstOrDefault(m => m.Slaves?.Any(s => s.SlaveId == slave.Id) == true)
                ?? (masters.Count == 1 ? masters[0] : null);
            if (master is null)
            {
                continue;
            }

            // A link that is not green says why; a green one says how far behind it is.
            var label = node.Health.Light == LinkHealth.Green ? EdgeLabel(slave) : node.Health.Reason;
            edges.Add(Edge(placed.First(p => p.Id == master.Id), node, label));
        }

        for (var i = 0; i < remote.Count; i++)
        {
            var (slaveId, masterId, view) = remote[i];
            var health = view is null
                ? new HealthVerdict(LinkHealth.Red, "not connected to its master")
                : LinkHealthClassifier.Classify(view);
            var node = new TopologyNode(slaveId, "slave", Spread(slaves.Count + i, slaveCount), SlaveRowY, health, Remote: true);
            placed.Add(node);
            var label = view is null ? health.Reason : $"remote · {view.State}";
            edges.Add(Edge(placed.First(p => p.Id == masterId), node, label));
        }

        return new TopologyDrawing(Width, Height, placed, edges);
    }

    // Slaves listed by a hosted master but not hosted here, then remembered ones that are no longer listed.
    private static List<(string SlaveId, string MasterId, SlaveLinkView? View)> RemoteSlaves(List<NodeStatus> masters, HashSet<string> hostedIds,
        IReadOnlyDictionary<string, string>? remembered)
    {
        var remote = new List<(string SlaveId, string MasterId, SlaveLinkView? View)>();
        foreach (var master in masters)
        {
            foreach (var view in master.Slaves ?? [])
            {
                if (!hostedIds.Contains(view.SlaveId) && remote.All(r => r.SlaveId != view.SlaveId))
                {
                    remote.Add((view.SlaveId, master.Id, view));
                }
            }
        }

        foreach (var (slaveId, masterId) in (remembered ?? new Dictionary<string, string>()).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!hostedIds.Contains(slaveId) && remote.All(r => r.SlaveId != slaveId) && masters.Any(m => m.Id == masterId))
            {
                remote.Add((slaveId, masterId, null));
            }
        }

        return remote;
    }

    private static TopologyEdge Edge(TopologyNode from, TopologyNode to, string label) =>
        new(from.Id, to.Id, from.X, from.Y + NodeRadius, to.X, to.Y - NodeRadius, to.Health, label);

    // Evenly over the width, centred: one node in the middle, two at a third and two thirds...
    private static double Spread(int index, int count) => Width * (index + 1) / (count + 1);

    private static string EdgeLabel(NodeStatus slave) => slave.Link is not { } link
        ? "no link"
        : link.LinkState != "streaming"
            ? link.LinkState
            : link.LagBytes == 0 && link.LagMs == 0
                ? "caught up"
                : $"lag {(link.LagItems >= 0 ? HumanFormat.Items(link.LagItems) : HumanFormat.Bytes(Math.Max(0, link.LagBytes)))} · {HumanFormat.Milliseconds(link.LagMs)}";
}
