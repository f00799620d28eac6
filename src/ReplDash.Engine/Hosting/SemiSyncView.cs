using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Hosting;

/// <summary>
/// A master's semi-synchronous replication state, with MySQL's status names (Rpl_semi_sync_master_*)
/// where MySQL has one, plus what MySQL lacks: ack latency per slave and the last switch.
/// </summary>
/// <param name="Enabled">rpl_semi_sync_master_enabled: semi-sync is configured on.</param>
/// <param name="Status">Rpl_semi_sync_master_status: true (ON) while writes wait for acks; false (OFF) after a timeout or when disabled.</param>
/// <param name="WaitPoint">AfterSync (lossless, default) or AfterCommit.</param>
/// <param name="WaitForSlaveCount">Acks needed per transaction.</param>
/// <param name="TimeoutMs">How long a write waits for its acks before semi-sync switches OFF.</param>
/// <param name="TraceLevel">Trace bit flags (1 general, 16 detail, 32 net wait, 64 function).</param>
/// <param name="Clients">Rpl_semi_sync_master_clients: slaves streaming (able to ack).</param>
/// <param name="YesTx">Rpl_semi_sync_master_yes_tx: transactions acknowledged by the quorum.</param>
/// <param name="NoTx">Rpl_semi_sync_master_no_tx: transactions answered without the quorum (status OFF).</param>
/// <param name="NoTimes">Rpl_semi_sync_master_no_times: switches to OFF.</param>
/// <param name="WaitSessions">Rpl_semi_sync_master_wait_sessions: client writes waiting for acks now.</param>
/// <param name="TxAvgWaitUs">Rpl_semi_sync_master_tx_avg_wait_time: average wait of a transaction for its acks (µs).</param>
/// <param name="NetAvgWaitUs">Rpl_semi_sync_master_net_avg_wait_time: average send-to-ack time per slave ack (µs).</param>
/// <param name="WaitPosition">The binlog position the oldest waiting write needs acknowledged (default when none).</param>
/// <param name="AckedPosition">The position the quorum has acknowledged.</param>
/// <param name="LastSwitchAt">When the status last changed (the node's start when it never did).</param>
/// <param name="LastSwitchReason">Why it last changed.</param>
/// <param name="Switches">The node's start and the most recent switches, oldest first (for a timeline).</param>
/// <param name="AckLatency">Send-to-ack latency per slave over a sliding window.</param>
public sealed record SemiSyncView(
    bool Enabled,
    bool Status,
    SemiSyncWaitPoint WaitPoint,
    int WaitForSlaveCount,
    long TimeoutMs,
    int TraceLevel,
    int Clients,
    long YesTx,
    long NoTx,
    long NoTimes,
    int WaitSessions,
    long TxAvgWaitUs,
    long NetAvgWaitUs,
    BinlogPosition WaitPosition,
    BinlogPosition AckedPosition,
    DateTimeOffset? LastSwitchAt,
    string? LastSwitchReason,
    IReadOnlyList<SemiSyncSwitch> Switches,
    IReadOnlyList<AckLatencyView> AckLatency);

/// <summary>One change of the semi-sync status.</summary>
public sealed record SemiSyncSwitch(DateTimeOffset At, bool On, string Reason);

/// <summary>
/// Ack latency of one slave over the sliding window: percentiles and a histogram.
/// </summary>
/// <param name="SlaveId">The slave.</param>
/// <param name="Count">Acks in the window.</param>
/// <param name="P50Us">Median send-to-ack time (µs).</param>
/// <param name="P90Us">90th percentile (µs).</param>
/// <param name="P99Us">99th percentile (µs).</param>
/// <param name="MaxUs">Slowest ack in the window (µs).</param>
/// <param name="Buckets">Histogram: acks per latency bucket, by upper bound in µs (the last bucket is open).</param>
public sealed record AckLatencyView(string SlaveId, long Count, long P50Us, long P90Us, long P99Us, long MaxUs,
    IReadOnlyList<LatencyBucket> Buckets);

/// <summary>Acks whose latency is at most <paramref name="UpToUs"/> µs (and above the previous bucket's bound).</summary>
public sealed record LatencyBucket(long UpToUs, long Count);
