using System.Text;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Web.Hosting;

/// <summary>
/// Tells a newcomer where everything is, once the process serves: the dashboard's URL and, for each hosted node,
/// its id, role, Redis-protocol port, replication port (a master's listener, or the master a slave follows) and
/// data folder. Written to the console (stdout) as plain lines, whatever the log levels.
/// </summary>
public sealed class StartupBanner(ClusterHost cluster, IHostApplicationLifetime lifetime) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStarted fires after every listener is bound and the slaves were told to connect.
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Format(cluster)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// What is reachable beyond loopback without protection: listeners without TLS, and RESP without a password. A
    /// machine someone forgot to firewall should say so at start (nothing is said on 127.0.0.1, the default).
    /// </summary>
    public static IEnumerable<string> ExposureWarnings(Engine.Configuration.ReplDashOptions options)
    {
        if (System.Net.IPAddress.TryParse(options.BindAddress, out var address) && System.Net.IPAddress.IsLoopback(address))
            yield break;
        var plain = new List<string>();
        if (!options.Tls.Http) plain.Add("dashboard");
        if (!options.Tls.Resp) plain.Add("RESP");
        if (!options.Tls.Replication) plain.Add("replication");
        if (plain.Count > 0)
            yield return $"listening on {options.BindAddress} without TLS for {string.Join(", ", plain)} (ReplDash:Tls, docs/OPERATIONS.md \"TLS\")";
        if (string.IsNullOrEmpty(options.RequirePass))
            yield return $"RESP on {options.BindAddress} accepts clients without a password (ReplDash:RequirePass)";
    }

    /// <summary>The banner's text, one line per node.</summary>
    public static string Format(ClusterHost cluster)
    {
        var options = cluster.Options;
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("ReplDash is running.");
        text.AppendLine($"  Dashboard: {(options.Tls.Http ? "https" : "http")}://{options.BindAddress}:{options.Http.Port}/  (REST /api/cluster, hub /hubs/cluster)");
        var configured = options.Nodes.ToDictionary(n => n.Id);
        foreach (var node in cluster.HostedNodes)
        {
            var config = configured[node.Id];
            var replication = node.Role == NodeRole.Master
                ? config.ReplicationPort == 0 ? "replication: none" : $"replication {options.BindAddress}:{config.ReplicationPort}"
                : $"replication from {node.Settings.Replication.MasterHost ?? options.BindAddress}:{node.Settings.Replication.MasterPort}" +
                  (config.Master is { } master ? $" ({master})" : "");
            var role = node.Role == NodeRole.Master ? "master" : "slave";
            var state = node.State == NodeState.Failed ? $"  FAILED: {node.LastError}" : "";
            text.AppendLine($"  Node {node.Id}: {role}, RESP {options.BindAddress}:{cluster.RespPorts[node.Id]}, {replication}, data {node.Settings.DataDirectory}{state}");
        }
        if (cluster.HostedNodes.FirstOrDefault(n => n.Role == NodeRole.Master) is { } first)
            text.AppendLine($"  Try: redis-cli{(options.Tls.Resp ? " --tls --cacert <certificate>" : "")} -p {cluster.RespPorts[first.Id]} SET k v   (DEBUG DIGEST on every node to compare)");
        foreach (var warning in ExposureWarnings(options))
            text.AppendLine($"  WARNING: {warning}");
        text.AppendLine();
        return text.ToString();
    }
}
