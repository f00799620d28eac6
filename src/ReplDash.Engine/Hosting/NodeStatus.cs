using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Hosting;

/// <summary>
/// A point-in-time view of one hosted node, for the dashboard and the REST API.
/// </summary>
/// <param name="Id">Node id from configuration (m1, s1...).</param>
/// <param name="Role">"master" or "slave".</param>
/// <param name="State">"starting", "running", "degraded" (running, but its disk is full: reads are served, writes are
/// refused or held until there is space again; LastError says why), "stopped" or "failed".</param>
/// <param name="RespPort">TCP port of the node's Redis-protocol listener on its bind address.</param>
/// <param name="BinlogEnd">Where the next log item will be written (a slave: its relay log, in the master's coordinates).</param>
/// <param name="Durable">Everything before this position is synced to disk.</param>
/// <param name="LogicalOffset">Bytes of log items up to BinlogEnd (Redis's master_repl_offset / slave_repl_offset).</param>
/// <param name="KeyCount">Keys in the dataset: every numbered database (<see cref="NodeStatus.KeysByDatabase"/> per database).</param>
/// <param name="OpsPerSecond">Commands processed per second, averaged over the last second or so.</param>
/// <param name="LastError">Why the node failed, when State is "failed"; what it cannot write, when "degraded".</param>
/// <param name="Applied">The data reflects every item before this position.</param>
/// <param name="Slaves">On a master: one entry per connected slave.</param>
/// <param name="Link">On a slave: its link to the master.</param>
/// <param name="SemiSync">On a master: semi-synchronous replication state.</param>
/// <param name="BinlogDamage">Damage found in the node's binlog (or relay log) while it keeps serving: the file,
/// offset and what it means (a master ships nothing before the damage's end; slaves needing it are resynced).</param>
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
    string? LastError,
    BinlogPosition Applied = default,
    IReadOnlyList<SlaveLinkView>? Slaves = null,
    MasterLinkView? Link = null,
    SemiSyncView? SemiSync = null,
    string? BinlogDamage = null)
{
    /// <summary>Keys per non-empty numbered database (SELECT n), in database order; empty when the node holds no key.</summary>
    public IReadOnlyDictionary<int, long> KeysByDatabase { get; init; } = new SortedDictionary<int, long>();
}

/// <summary>A master's view of one slave link.</summary>
/// <param name="SlaveId">The slave's node id.</param>
/// <param name="Address">Where it connected from.</param>
/// <param name="State">handshake, sending-back (the slave gives back items this master lost), full-resync or streaming.</param>
/// <param name="Sent">End of the last item sent.</param>
/// <param name="Acked">End of the last item the slave acknowledged (durable in its relay log).</param>
/// <param name="SlaveApplied">What the slave reported as applied.</param>
/// <param name="LagBytes">Master's shippable end minus what the slave acknowledged, in bytes.</param>
/// <param name="WindowItems">Sync window capacity in items.</param>
/// <param name="WindowBytes">Sync window capacity in bytes.</param>
/// <param name="InFlightItems">Items sent and not acknowledged.</param>
/// <param name="InFlightBytes">Bytes sent and not acknowledged.</param>
/// <param name="LastAckLatencyMs">Send-to-ack time of the last acknowledged item.</param>
/// <param name="WindowCorruptions">Acks refused on this link because they did not match the window.</param>
/// <param name="LastAckRangeItems">Items the last valid ack released (its range width).</param>
/// <param name="LastAckRangeBytes">Bytes the last valid ack released.</param>
public sealed record SlaveLinkView(string SlaveId, string Address, string State, BinlogPosition Sent, BinlogPosition Acked,
    BinlogPosition SlaveApplied, long LagBytes, int WindowItems, long WindowBytes, int InFlightItems, long InFlightBytes,
    long LastAckLatencyMs, long WindowCorruptions, int LastAckRangeItems = 0, long LastAckRangeBytes = 0);

/// <summary>A slave's view of its link to the master.</summary>
/// <param name="MasterAddress">host:port of the master's replication listener.</param>
/// <param name="LinkState">connecting, handshake, draining, sending-back, full-resync, streaming, down, or diverged (the master
/// refused this slave's history: stopped until an operator asks for a full resync).</param>
/// <param name="LastHeardSecondsAgo">Seconds since the master was last heard (Redis's master_last_io_seconds_ago), -1 never.</param>
/// <param name="Received">End of the relay log (received).</param>
/// <param name="RelaySynced">The relay log is durable up to here.</param>
/// <param name="Applied">Applied up to here.</param>
/// <param name="MasterEnd">The master's shippable end as last heard.</param>
/// <param name="LagBytes">MasterEnd minus Applied, in bytes (logical).</param>
/// <param name="LagItems">Transactions the master has that are not applied here, when both nodes are in this process; else -1.</param>
/// <param name="LagMs">How old the last applied item is when behind, 0 when caught up.</param>
/// <param name="SlowApplies">Items whose apply exceeded SlowApplyMs.</param>
/// <param name="SlowestRecentApplyMs">Longest apply among recent items.</param>
/// <param name="LastError">Why the link last went down.</param>
/// <param name="SlowApplyMs">The slow-apply threshold (ReplDash:Replication:SlowApplyMs).</param>
/// <param name="RecentApplyMs">Apply time of the most recent items, oldest first (at most ApplyTimeStats.RecentViewCount).</param>
/// <param name="LinkTimeoutMs">The link timeout: silence longer than this drops the link.</param>
/// <param name="Resync">The running or last full resync of this slave, null when there was none since start.</param>
public sealed record MasterLinkView(string MasterAddress, string LinkState, long LastHeardSecondsAgo, BinlogPosition Received,
    BinlogPosition RelaySynced, BinlogPosition Applied, BinlogPosition MasterEnd, long LagBytes, long LagItems, long LagMs,
    long SlowApplies, long SlowestRecentApplyMs, string? LastError, int SlowApplyMs = 0, IReadOnlyList<long>? RecentApplyMs = null,
    long LinkTimeoutMs = 0, ResyncProgressView? Resync = null);

/// <summary>Progress of a slave's full resync, as the slave sees it.</summary>
/// <param name="Phase">"requested", "receiving" (snapshot chunks), "loading" (writing the store), "catching-up"
/// (streaming from the snapshot's tag), "completed" or "failed".</param>
/// <param name="KeysTotal">Keys in the master's snapshot (0 until its first frame).</param>
/// <param name="KeysReceived">Snapshot keys received so far.</param>
/// <param name="BytesReceived">Snapshot bytes received so far (keys and values).</param>
/// <param name="StartedAt">When the resync began.</param>
/// <param name="FinishedAt">When it completed or failed; null while it runs.</param>
/// <param name="KeysPerSecond">Keys received per second since the start (to the finish when finished).</param>
/// <param name="Outcome">A sentence for operators once finished ("16000 keys at 1:4096", or the error).</param>
/// <param name="Trigger">Who or what started it: "requested by api", "requested by dashboard", or "master: " and the
/// master's reason (the slave's position is purged, of another history...).</param>
/// <param name="Phases">Each phase entered so far with when, oldest first.</param>
public sealed record ResyncProgressView(string Phase, long KeysTotal, long KeysReceived, long BytesReceived,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double KeysPerSecond, string? Outcome, string? Trigger = null,
    IReadOnlyList<ResyncPhaseTime>? Phases = null);

/// <summary>A full resync entered <paramref name="Phase"/> at <paramref name="At"/>.</summary>
/// <param name="Phase">A phase name of <see cref="ResyncProgressView.Phase"/>.</param>
/// <param name="At">When (the node's TimeProvider).</param>
public sealed record ResyncPhaseTime(string Phase, DateTimeOffset At);

/// <summary>Read model over every node this process hosts.</summary>
public interface IClusterStatus
{
    /// <summary>A fresh snapshot of every hosted node, in configuration order.</summary>
    IReadOnlyList<NodeStatus> Nodes();
}
