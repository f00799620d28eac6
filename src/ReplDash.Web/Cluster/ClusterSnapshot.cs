using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Cluster;

/// <summary>Every hosted node's status at one moment, as the pages render it.</summary>
/// <param name="TakenAt">When the status was read.</param>
/// <param name="Nodes">Nodes in configuration order.</param>
public sealed record ClusterSnapshot(DateTimeOffset TakenAt, IReadOnlyList<NodeStatus> Nodes)
{
    private static readonly IReadOnlyDictionary<string, string> NoRemoteSlaves = new Dictionary<string, string>();

    /// <summary>Slaves in other processes that a hosted master has listed since start: slave id → master id.</summary>
    public IReadOnlyDictionary<string, string> RemoteSlaves { get; init; } = NoRemoteSlaves;

    /// <summary>Before the first poll.</summary>
    public static ClusterSnapshot Empty { get; } = new(DateTimeOffset.MinValue, Array.Empty<NodeStatus>());

    /// <summary>Keys over every hosted node.</summary>
    public long TotalKeyCount => Nodes.Sum(n => n.KeyCount);

    /// <summary>Commands per second over every hosted node.</summary>
    public double TotalOpsPerSecond => Nodes.Sum(n => n.OpsPerSecond);

    /// <summary>True when both hold the same node statuses (the time of reading aside).</summary>
    public bool SameNodesAs(ClusterSnapshot other) => Nodes.SequenceEqual(other.Nodes);
}
