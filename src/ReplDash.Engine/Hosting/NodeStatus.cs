using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Hosting;

/// <summary>
/// A point-in-time view of one hosted node, for the dashboard and the REST API.
/// </summary>
/// <param name="Id">Node id from configuration (m1, s1...).</param>
/// <param name="Role">"master" or "slave".</param>
/// <param name="State">"starting", "running", "stopped" or "failed".</param>
/// <param name="RespPort">TCP port of the node's Redis-protocol listener on its bind address.</param>
/// <param name="BinlogEnd">Where the next binlog item will be written.</param>
/// <param name="Durable">Everything before this position is synced to disk.</param>
/// <param name="LogicalOffset">Bytes of binlog items ever written (Redis's master_repl_offset).</param>
/// <param name="KeyCount">Keys in the dataset.</param>
/// <param name="OpsPerSecond">Commands processed per second, averaged over the last second or so.</param>
/// <param name="LastError">Why the node failed, when State is "failed".</param>
public sealed record NodeStatus(
    string Id,
    string Role,
    string State,
    int RespPort,
    BinlogPosition BinlogEnd,
    BinlogPosition Durable,
    long LogicalOffset,
    long KeyCount,
    double OpsPerSecond,
    string? LastError);

/// <summary>Read model over every node this process hosts.</summary>
public interface IClusterStatus
{
    /// <summary>A fresh snapshot of every hosted node, in configuration order.</summary>
    IReadOnlyList<NodeStatus> Nodes();
}
