using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Formatting;

namespace ReplDash.Web.Configuration;

/// <summary>One setting as a node runs with it now.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Name">The setting's name as operators know it (MySQL's for semi-sync, as CONFIG GET answers).</param>
/// <param name="Value">The value for people (64 MiB, 10 s).</param>
/// <param name="Exact">The exact value, for the tooltip.</param>
public sealed record RunningSetting(string NodeId, string Name, string Value, string Exact);

/// <summary>
/// The values nodes run with, read from their live status, so a change made with <c>CONFIG SET</c> or on the
/// Semi-sync page shows here at once (the configuration files only say how the process started).
/// </summary>
public static class RunningSettings
{
    /// <summary>The running settings of every node in <paramref name="nodes"/>, in node order.</summary>
    public static IReadOnlyList<RunningSetting> Of(IReadOnlyList<NodeStatus> nodes)
    {
        var settings = new List<RunningSetting>();
        foreach (var node in nodes)
        {
            if (node.SemiSync is { } semi)
            {
                settings.Add(new(node.Id, "rpl_semi_sync_master_enabled", semi.Enabled ? "ON" : "OFF", semi.Enabled ? "ON" : "OFF"));
                settings.Add(new(node.Id, "rpl_semi_sync_master_wait_point", SemiSyncConfig.MySqlName(semi.WaitPoint), SemiSyncConfig.MySqlName(semi.WaitPoint)));
                settings.Add(new(node.Id, "rpl_semi_sync_master_wait_for_slave_count", HumanFormat.Exact(semi.WaitForSlaveCount), semi.WaitForSlaveCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                settings.Add(new(node.Id, "rpl_semi_sync_master_timeout", HumanFormat.Milliseconds(semi.TimeoutMs), $"{semi.TimeoutMs} ms"));
                settings.Add(new(node.Id, "rpl_semi_sync_master_trace_level", semi.TraceLevel.ToString(System.Globalization.CultureInfo.InvariantCulture), semi.TraceLevel.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            foreach (var slave in node.Slaves ?? [])
            {
                settings.Add(new(node.Id, $"sync window to {slave.SlaveId} (items)", HumanFormat.Items(slave.WindowItems), HumanFormat.Exact(slave.WindowItems)));
                settings.Add(new(node.Id, $"sync window to {slave.SlaveId} (bytes)", HumanFormat.Bytes(slave.WindowBytes), $"{HumanFormat.Exact(slave.WindowBytes)} bytes"));
            }

            if (node.Link is { } link)
            {
                settings.Add(new(node.Id, "master", link.MasterAddress, link.MasterAddress));
                settings.Add(new(node.Id, "link timeout", HumanFormat.Milliseconds(link.LinkTimeoutMs), $"{link.LinkTimeoutMs} ms"));
                settings.Add(new(node.Id, "slow-apply threshold", HumanFormat.Milliseconds(link.SlowApplyMs), $"{link.SlowApplyMs} ms"));
            }
        }

        return settings;
    }
}
