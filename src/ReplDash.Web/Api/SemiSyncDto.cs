using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Api;

/// <summary>
/// A master's semi-sync state in <c>GET /api/cluster</c>, with MySQL's status names
/// (Rpl_semi_sync_master_*) as JSON properties, plus ack latency per slave and the last switch.
/// </summary>
public sealed record SemiSyncDto(
    bool Rpl_semi_sync_master_enabled,
    string Rpl_semi_sync_master_status,
    string Rpl_semi_sync_master_wait_point,
    int Rpl_semi_sync_master_wait_for_slave_count,
    long Rpl_semi_sync_master_timeout,
    int Rpl_semi_sync_master_trace_level,
    int Rpl_semi_sync_master_clients,
    long Rpl_semi_sync_master_yes_tx,
    long Rpl_semi_sync_master_no_tx,
    long Rpl_semi_sync_master_no_times,
    int Rpl_semi_sync_master_wait_sessions,
    long Rpl_semi_sync_master_tx_avg_wait_time,
    long Rpl_semi_sync_master_net_avg_wait_time,
    string WaitPosition,
    string AckedPosition,
    DateTimeOffset? LastSwitchAt,
    string? LastSwitchReason,
    IReadOnlyList<SemiSyncSwitch> Switches,
    IReadOnlyList<AckLatencyView> AckLatency)
{
    public static SemiSyncDto From(SemiSyncView v) => new(v.Enabled, v.Status ? "ON" : "OFF",
        SemiSyncConfig.MySqlName(v.WaitPoint), v.WaitForSlaveCount, v.TimeoutMs, v.TraceLevel, v.Clients, v.YesTx, v.NoTx,
        v.NoTimes, v.WaitSessions, v.TxAvgWaitUs, v.NetAvgWaitUs, v.WaitPosition == default ? "" : v.WaitPosition.ToString(),
        v.AckedPosition.ToString(), v.LastSwitchAt, v.LastSwitchReason, v.Switches, v.AckLatency);
}
