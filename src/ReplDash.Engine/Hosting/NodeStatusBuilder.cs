using ReplDash.Engine.Node;

namespace ReplDash.Engine.Hosting;

/// <summary>Builds the read model of one node, including both ends of its replication links.</summary>
internal static class NodeStatusBuilder
{
    public static NodeStatus Build(DataNode node, ClusterHost cluster, DateTimeOffset now)
    {
        var positions = node.Positions();
        var byDatabase = node.State == NodeState.Running ? node.Inspect(KeysByDatabase) : new SortedDictionary<int, long>();
        long keys = byDatabase.Values.Sum();
        var status = new NodeStatus(node.Id, node.Role.ToString().ToLowerInvariant(), StateName(node),
            cluster.RespPorts[node.Id], positions.End, positions.Durable, positions.EndLogical, keys, node.OpsPerSecond,
            node.LastError ?? node.DiskProblem, positions.Applied) { BinlogDamage = node.BinlogDamage, KeysByDatabase = byDatabase };
        return node.Role == NodeRole.Master
            ? status with
            {
                Slaves = node.SlaveLinks.Select(link => SlaveView(node, link, positions)).OrderBy(s => s.SlaveId).ToList(),
                SemiSync = node.SemiSyncView(),
            }
            : status with { Link = LinkView(node, cluster, positions, now) };
    }

    private static SortedDictionary<int, long> KeysByDatabase(Core.Keyspace.KeyspaceDatabases databases)
    {
        var counts = new SortedDictionary<int, long>();
        for (int i = 0; i < databases.DatabaseCount; i++)
            if (databases[i].Count > 0)
                counts[i] = databases[i].Count;
        return counts;
    }

    /// <summary>
    /// The node's life-cycle state, except that a running node whose disk is full shows as "degraded": it serves reads
    /// and retries by itself, but does not take (or, a slave, receive) every write now.
    /// </summary>
    public static string StateName(DataNode node) =>
        node.State == NodeState.Running && node.DiskProblem is not null ? "degraded" : node.State.ToString().ToLowerInvariant();

    // Built from one snapshot of the link, so its figures belong to one instant.
    private static SlaveLinkView SlaveView(DataNode master, SlaveLinkStatus link, NodePositions positions)
    {
        long lag = link.AckedEnd.FileNumber == positions.Durable.FileNumber ? Math.Max(0, positions.Durable.Offset - link.AckedEnd.Offset) : -1;
        if (lag < 0 && link.AckedEnd != default)
            lag = Math.Max(0, positions.EndLogical - master.LogicalOffsetOf(link.AckedEnd));
        return new SlaveLinkView(link.SlaveId, link.Address, link.State, link.SentEnd, link.AckedEnd, link.SlaveApplied, lag,
            master.Settings.Replication.WindowItems, master.Settings.Replication.WindowBytes, link.InFlightItems, link.InFlightBytes,
            link.LastAckLatencyMs, link.WindowCorruptions, link.LastAckRangeItems, link.LastAckRangeBytes);
    }

    private static MasterLinkView? LinkView(DataNode slave, ClusterHost cluster, NodePositions positions, DateTimeOffset now)
    {
        var link = slave.Link;
        if (link is null)
            return null;
        var master = slave.Settings.Replication.MasterId is { } id ? cluster.FindById(id) : null;
        var masterPositions = master?.Positions();
        var masterEnd = masterPositions?.End ?? link.MasterEnd;
        long lagBytes = masterPositions is not null
            ? Math.Max(0, masterPositions.EndLogical - positions.AppliedLogical)
            : masterEnd.FileNumber == positions.Applied.FileNumber ? Math.Max(0, masterEnd.Offset - positions.Applied.Offset) : -1;
        long lagItems = masterPositions is not null && masterPositions.LastApplied.Origin == positions.LastApplied.Origin
            ? Math.Max(0, masterPositions.LastApplied.Sequence - positions.LastApplied.Sequence)
            : masterPositions is not null && positions.LastApplied.Sequence == 0 ? masterPositions.LastApplied.Sequence : -1;
        long lagMs = lagBytes == 0 || slave.LastAppliedTimestampMs == 0 ? 0 : Math.Max(0, now.ToUnixTimeMilliseconds() - slave.LastAppliedTimestampMs);
        return new MasterLinkView($"{link.MasterHost}:{link.MasterPort}", link.State,
            link.LastHeard is { } heard ? (long)(now - heard).TotalSeconds : -1,
            positions.End, slave.RelaySynced, positions.Applied, masterEnd, lagBytes, lagItems, lagMs,
            slave.SlowApplies, slave.ApplyTimes.SlowestRecent().Ms, link.LastError, slave.Settings.Replication.SlowApplyMs,
            slave.ApplyTimes.RecentMs(ApplyTimeStats.RecentViewCount), (long)slave.Settings.Replication.LinkTimeout.TotalMilliseconds,
            link.Resync.Current());
    }
}
