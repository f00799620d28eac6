using ReplDash.Engine.Core.Settings;
using System.Net;

namespace ReplDash.Engine.Configuration;

/// <summary>
/// Who may replicate from a master, and the secret that proves it (docs/REPLICATION-PROTOCOL.md, "Who may link"):
/// the slave ids each master accepts, the handshake deadline, and the shipped default secret kept to loopback.
/// </summary>
public static partial class ReplDashOptionsValidator
{
    /// <summary>
    /// The slave ids master <paramref name="masterId"/> accepts: the slaves ReplDash:Nodes names for it, plus, when it
    /// is a master, ReplDash:Replication:AllowedSlaves.
    /// </summary>
    public static HashSet<string> SlaveIdsOf(ReplDashOptions options, string masterId)
    {
        var ids = options.Nodes
            .Where(n => string.Equals(n.Role, "slave", StringComparison.OrdinalIgnoreCase) && n.Master == masterId)
            .Select(n => n.Id)
            .ToHashSet(StringComparer.Ordinal);
        bool isMaster = options.Nodes.Any(n => n.Id == masterId && string.Equals(n.Role, "master", StringComparison.OrdinalIgnoreCase));
        if (isMaster)
            ids.UnionWith(AllowedSlaveIds(options));
        return ids;
    }

    /// <summary>The ids listed in ReplDash:Replication:AllowedSlaves (comma-separated).</summary>
    public static IReadOnlyList<string> AllowedSlaveIds(ReplDashOptions options) =>
        string.IsNullOrWhiteSpace(options.Replication.AllowedSlaves)
            ? []
            : options.Replication.AllowedSlaves.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void ValidateSlaveIdentity(ReplDashOptions options, List<string> errors)
    {
        var replication = options.Replication;
        foreach (var id in AllowedSlaveIds(options))
            if (!NodeId().IsMatch(id))
                errors.Add($"ReplDash:Replication:AllowedSlaves: '{id}' is not a node id (1-64 letters, digits, '-' or '_').");
        if (AllowedSlaveIds(options).Count > 0 && string.IsNullOrEmpty(replication.Secret))
            errors.Add("ReplDash:Replication:Secret must be set when ReplDash:Replication:AllowedSlaves lists slaves.");
        Check(errors, SettingRanges.HandshakeTimeoutSeconds, replication.HandshakeTimeoutSeconds);
        if (replication.Secret == ReplicationOptions.ShippedDefaultSecret && BeyondLoopback(options) is { Count: > 0 } exposed)
            errors.Add(
                $"ReplDash:Replication:Secret is still the shipped default from appsettings.json, but {string.Join(" and ", exposed)}: "
                + "outside loopback anyone who has read that default can pose as a slave (or a master). Set a secret of your own, the same "
                + "on a master and its slaves: ReplDash:Replication:Secret in appsettings.json, --ReplDash:Replication:Secret=... on the "
                + "command line, or the environment variable ReplDash__Replication__Secret.");
    }

    /// <summary>What replication traffic of the nodes hosted here would cross a non-loopback address, in words.</summary>
    private static List<string> BeyondLoopback(ReplDashOptions options)
    {
        var hosted = HostedIds(options);
        var exposed = new List<string>();
        foreach (var node in options.Nodes.Where(n => hosted is null || hosted.Contains(n.Id)))
        {
            bool isSlave = string.Equals(node.Role, "slave", StringComparison.OrdinalIgnoreCase);
            if (!isSlave && node.ReplicationPort != 0 && !IsLoopback(options.BindAddress))
                exposed.Add($"master {node.Id}'s replication listener binds to {options.BindAddress} (ReplDash:BindAddress)");
            if (isSlave && MasterHostOf(options, node) is { } host && !IsLoopback(host))
                exposed.Add($"slave {node.Id} connects to its master at {host}");
        }
        return exposed;
    }

    /// <summary>Where a slave's master is, as NodeSettingsFactory resolves it (an embedded master on "any" is reached on loopback).</summary>
    private static string? MasterHostOf(ReplDashOptions options, NodeOptions slave)
    {
        if (slave.MasterAddress is { Length: > 0 } address)
            return TryParseAddress(address, out var host, out _) ? host : null;
        return options.BindAddress is "0.0.0.0" or "::" ? "127.0.0.1" : options.BindAddress;
    }

    private static bool IsLoopback(string host)
    {
        host = host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        // A name other than localhost may resolve anywhere: not loopback. "Any" (0.0.0.0, ::) is every interface.
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
