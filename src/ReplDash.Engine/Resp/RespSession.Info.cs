using System.IO.Pipelines;
using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>INFO, with Redis's section and field names where Redis has the field.</summary>
public sealed partial class RespSession
{
    private static readonly string[] InfoSections = ["server", "clients", "memory", "stats", "persistence", "replication", "cpu", "semisync", "keyspace"];

    private BinlogPosition Info(byte[][] args, PipeWriter output)
    {
        var wanted = args.Skip(1).Select(a => Encoding.ASCII.GetString(a).ToLowerInvariant()).ToHashSet();
        bool all = wanted.Count == 0 || wanted.Overlaps(["all", "default", "everything"]);
        // As in Redis, commandstats is not a default section: only "all", "everything" or its name show it.
        bool commandStats = wanted.Overlaps(["all", "everything", "commandstats"]);
        var text = new StringBuilder();
        var dependency = BinlogPosition.Zero;
        foreach (var section in InfoSections)
        {
            if (!all && !wanted.Contains(section))
                continue;
            if (text.Length > 0)
                text.Append("\r\n");
            text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section[1..]).Append("\r\n");
            dependency = BinlogPosition.Max(dependency, AppendSection(section, text));
        }
        if (commandStats)
        {
            if (text.Length > 0)
                text.Append("\r\n");
            text.Append("# Commandstats\r\n");
            foreach (var (name, value) in node.CommandStats.Lines())
                text.Append(name).Append(':').Append(value).Append("\r\n");
        }
        RespWriter.VerbatimText(output, text.ToString());
        return dependency;
    }

    private void AppendMasterReplication(NodePositions positions, Action<string, object> field)
    {
        var links = node.SlaveLinks.OrderBy(l => l.LinkId).ToList();
        var now = node.Time.GetUtcNow();
        field("role", "master");
        field("connected_slaves", links.Count);
        for (int i = 0; i < links.Count; i++)
        {
            var link = links[i];
            var (acked, state) = (link.AckedEnd, link.State);
            var address = link.Address.Split(':');
            long offset = acked == default ? 0 : node.LogicalOffsetOf(acked);
            long lag = (long)(now - link.LastHeard).TotalSeconds;
            field($"slave{i}", $"ip={address[0]},port={address.ElementAtOrDefault(1)},state={(state == "streaming" ? "online" : state)},offset={offset},lag={Math.Max(0, lag)},id={link.SlaveId}");
        }
        field("master_replid", node.Id);
        field("master_repl_offset", positions.EndLogical);
        field("repl_window_corruptions", node.WindowCorruptions);
    }

    private void AppendSlaveReplication(NodePositions positions, Action<string, object> field)
    {
        var link = node.Link;
        field("role", "slave");
        field("master_host", link?.MasterHost ?? "");
        field("master_port", link?.MasterPort ?? 0);
        field("master_link_status", link?.State == "streaming" ? "up" : "down");
        field("master_last_io_seconds_ago", link?.LastHeard is { } heard ? (long)(node.Time.GetUtcNow() - heard).TotalSeconds : -1);
        field("master_sync_in_progress", link?.State == "full-resync" ? 1 : 0);
        field("slave_repl_offset", positions.AppliedLogical);
        field("slave_read_only", 1);
        field("master_link_state", link?.State ?? "none");
        field("relay_received", positions.End);
        field("relay_synced", node.RelaySynced);
        field("applied_position", positions.Applied);
        field("slow_applies", node.SlowApplies);
    }

    private BinlogPosition AppendSection(string section, StringBuilder text)
    {
        var options = cluster.Options;
        var positions = node.Positions();
        void Field(string name, object value) => text.Append(name).Append(':').Append(value).Append("\r\n");
        switch (section)
        {
            case "server":
                var uptime = node.Time.GetUtcNow() - node.StartedAt;
                Field("redis_version", RedisVersion);
                Field("repldash_version", typeof(RespSession).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
                Field("redis_mode", "standalone");
                Field("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
                Field("arch_bits", IntPtr.Size * 8);
                Field("process_id", Environment.ProcessId);
                Field("run_id", node.Id);
                Field("tcp_port", cluster.RespPorts[node.Id]);
                Field("uptime_in_seconds", (long)uptime.TotalSeconds);
                Field("uptime_in_days", (long)uptime.TotalDays);
                Field("node_id", node.Id);
                Field("node_state", NodeStatusBuilder.StateName(node));
                break;
            case "clients":
                Field("connected_clients", cluster.Clients.Count);
                // Blocked list pops and blocked sorted-set pops wait in two registries (to be unified).
                Field("blocked_clients", node.BlockedClientCount);
                Field("maxclients", options.Limits.MaxClients);
                Field("pubsub_clients", NodeClients().Count(c => c.Channels + c.Patterns > 0));
                break;
            case "memory":
                ProcessFigures.AppendMemory(Field);
                break;
            case "cpu":
                ProcessFigures.AppendCpu(Field);
                break;
            case "stats":
                Field("total_connections_received", cluster.TotalConnections);
                Field("acl_access_denied_auth", cluster.AuthFailures);
                Field("total_commands_processed", node.CommandsProcessedSinceReset);
                Field("instantaneous_ops_per_sec", (long)node.OpsPerSecond);
                Field("rejected_connections", cluster.RejectedConnections);
                Field("pubsub_channels", node.PubSub.Subscriptions.ActiveChannels(null).Count);
                Field("pubsub_patterns", node.PubSub.Subscriptions.PatternCount);
                break;
            case "persistence":
                // 1 while a restarted master waits for its slaves' relay logs and answers writes with LOADING (lesson L5).
                Field("loading", node.AwaitingSlaves ? 1 : 0);
                Field("aof_enabled", 1);
                Field("binlog_end", positions.End);
                Field("binlog_durable", positions.Durable);
                Field("binlog_committed", node.Committed);
                Field("binlog_released", node.Released);
                Field("sync_binlog", options.Durability.SyncBinlog);
                Field("binlog_segment_bytes", options.Durability.BinlogSegmentBytes);
                // Redis's fields for a failing AOF write and RDB save: here the log and the store's checkpoint.
                var writesBlocked = node.WritesBlocked;
                Field("aof_last_write_status", writesBlocked is null ? "ok" : "err");
                Field("rdb_last_bgsave_status", node.CheckpointBlocked is null ? "ok" : "err");
                // The store's checkpoints are spaced by their own cost (CheckpointPacing): what the last one took, and the wait now.
                Field("checkpoint_last_work_ms", (long)node.LastCheckpoint.Work.TotalMilliseconds);
                Field("checkpoint_delay_ms", (long)node.LastCheckpoint.NextDelay.TotalMilliseconds);
                Field("writes_blocked", writesBlocked is null ? 0 : 1);
                Field("disk_error", node.DiskProblem ?? "");
                break;
            case "replication":
                if (node.Role == NodeRole.Master)
                    AppendMasterReplication(positions, Field);
                else
                    AppendSlaveReplication(positions, Field);
                Field("binlog_position", node.Role == NodeRole.Master ? positions.End : positions.Applied);
                Field("last_transaction_id", positions.LastApplied);
                Field("cluster_id", node.ClusterId ?? "");
                break;
            case "semisync":
                AppendSemiSync(Field);
                break;
            case "keyspace":
                if (node.State != NodeState.Running)
                    break;
                // One line per non-empty database, as Redis; avg_ttl is exact here (Redis samples): the mean ms left of its keys with a TTL.
                long nowMs = node.Time.GetUtcNow().ToUnixTimeMilliseconds();
                var (databases, dependency) = node.ReadWholeDataset(k =>
                    Enumerable.Range(0, k.DatabaseCount).Where(i => k[i].Count > 0)
                        .Select(i => (Index: i, Keys: k[i].Count, Expires: k[i].ExpiresCount, AvgTtl: k[i].AverageTtlMs(nowMs))).ToList());
                foreach (var (index, keys, expires, avgTtl) in databases)
                    Field($"db{index}", $"keys={keys},expires={expires},avg_ttl={avgTtl}");
                return dependency;
        }
        return BinlogPosition.Zero;
    }
}
