using System.IO.Pipelines;
using System.Text;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>CONFIG SET rpl_semi_sync_master_* and INFO semisync, with MySQL's names.</summary>
public sealed partial class RespSession
{
    private static bool IsSemiSyncSet(byte[][] args)
    {
        for (int i = 2; i < args.Length; i += 2)
            if (!SemiSyncSettingNames.IsKnown(Encoding.ASCII.GetString(args[i])))
                return false;
        return true;
    }

    /// <summary>
    /// CONFIG SET name value [name value ...]: all settings change together or none does; the error names the
    /// first argument that is wrong, as Redis does.
    /// </summary>
    private void ConfigSetSemiSync(byte[][] args, PipeWriter output)
    {
        if (node.Role != NodeRole.Master)
        {
            RespWriter.Error(output, "ERR CONFIG SET failed - semi-sync settings belong to a master; this node is a slave");
            return;
        }
        var config = node.SemiSyncConfig;
        for (int i = 2; i < args.Length; i += 2)
        {
            string name = Encoding.ASCII.GetString(args[i]);
            if (!SemiSyncSettingNames.TryApply(config, name, Encoding.UTF8.GetString(args[i + 1]), out config, out string error))
            {
                RespWriter.Error(output, $"ERR CONFIG SET failed (possibly related to argument '{name}') - {error}");
                return;
            }
        }
        try
        {
            node.ConfigureSemiSync(config, $"CONFIG SET from client {client.Id} ({client.Remote})");
            RespWriter.Ok(output);
        }
        catch (ArgumentException e)
        {
            RespWriter.Error(output, $"ERR CONFIG SET failed - {e.Message}");
        }
    }

    private void AppendSemiSync(Action<string, object> field)
    {
        if (node.Role != NodeRole.Master)
        {
            field("Rpl_semi_sync_slave_status", node.Link?.State == "streaming" ? "ON" : "OFF");
            return;
        }
        var view = node.SemiSyncView();
        field("Rpl_semi_sync_master_status", view.Status ? "ON" : "OFF");
        field("Rpl_semi_sync_master_clients", view.Clients);
        field("Rpl_semi_sync_master_yes_tx", view.YesTx);
        field("Rpl_semi_sync_master_no_tx", view.NoTx);
        field("Rpl_semi_sync_master_no_times", view.NoTimes);
        field("Rpl_semi_sync_master_wait_sessions", view.WaitSessions);
        field("Rpl_semi_sync_master_tx_avg_wait_time", view.TxAvgWaitUs);
        field("Rpl_semi_sync_master_net_avg_wait_time", view.NetAvgWaitUs);
        foreach (var (name, value) in SemiSyncSettingNames.Values(node.SemiSyncConfig))
            field(name, value);
        field("semisync_wait_position", view.WaitPosition == default ? "" : view.WaitPosition);
        field("semisync_acked_position", view.AckedPosition);
        field("semisync_last_switch_time", view.LastSwitchAt?.ToString("O") ?? "");
        field("semisync_last_switch_reason", view.LastSwitchReason ?? "");
        foreach (var latency in view.AckLatency)
            field($"semisync_ack_latency_{latency.SlaveId}",
                $"count={latency.Count},p50_us={latency.P50Us},p90_us={latency.P90Us},p99_us={latency.P99Us},max_us={latency.MaxUs}");
    }
}
