using System.Net;
using System.Text.RegularExpressions;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Core.Settings;

namespace ReplDash.Engine.Configuration;

/// <summary>Checks configuration at start so that a wrong value is a clear message, not a late surprise.</summary>
public static partial class ReplDashOptionsValidator
{
    /// <summary>Every problem found, each naming its configuration key; empty when the options are usable.</summary>
    public static List<string> Validate(ReplDashOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
            errors.Add("ReplDash:DataDir must not be empty.");
        if (!IPAddress.TryParse(options.BindAddress, out _))
            errors.Add($"ReplDash:BindAddress '{options.BindAddress}' is not an IP address.");
        CheckPort(errors, "ReplDash:Http:Port", options.Http.Port);
        var durability = options.Durability;
        Check(errors, SettingRanges.SyncBinlog, durability.SyncBinlog);
        Check(errors, SettingRanges.SyncRelayLog, durability.SyncRelayLog);
        Check(errors, SettingRanges.BinlogSegmentBytes, durability.BinlogSegmentBytes);
        Check(errors, SettingRanges.CheckpointIntervalMs, durability.CheckpointIntervalMs);
        Check(errors, SettingRanges.BinlogRetentionBytes, durability.BinlogRetentionBytes);
        Check(errors, SettingRanges.BinlogRetentionHours, durability.BinlogRetentionHours);
        Check(errors, SettingRanges.MaxBulkBytes, options.Limits.MaxBulkBytes);
        Check(errors, SettingRanges.MaxArguments, options.Limits.MaxArguments);
        Check(errors, SettingRanges.MaxInlineBytes, options.Limits.MaxInlineBytes);
        Check(errors, SettingRanges.MaxClients, options.Limits.MaxClients);
        Check(errors, SettingRanges.Databases, options.Databases);
        if (options.Faults.Enabled)
            Check(errors, SettingRanges.BinlogWriteDelayMs, options.Faults.BinlogWriteDelayMs);
        if (options.Nodes.Count == 0)
            errors.Add("ReplDash:Nodes must list at least one node.");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ports = new HashSet<int> { options.Http.Port };
        for (int i = 0; i < options.Nodes.Count; i++)
        {
            var node = options.Nodes[i];
            string key = $"ReplDash:Nodes:{i}";
            if (!NodeId().IsMatch(node.Id))
                errors.Add($"{key}:Id '{node.Id}' must be 1-64 letters, digits, '-' or '_'.");
            else if (!ids.Add(node.Id))
                errors.Add($"{key}:Id '{node.Id}' is used twice.");
            bool isSlave = string.Equals(node.Role, "slave", StringComparison.OrdinalIgnoreCase);
            if (!isSlave && !string.Equals(node.Role, "master", StringComparison.OrdinalIgnoreCase))
                errors.Add($"{key}:Role '{node.Role}' is not \"master\" or \"slave\".");
            CheckPort(errors, $"{key}:RespPort", node.RespPort);
            if (!ports.Add(node.RespPort))
                errors.Add($"{key}:RespPort {node.RespPort} is already used by another listener.");
            if (node.ReplicationPort != 0)
            {
                CheckPort(errors, $"{key}:ReplicationPort", node.ReplicationPort);
                if (!ports.Add(node.ReplicationPort))
                    errors.Add($"{key}:ReplicationPort {node.ReplicationPort} is already used by another listener.");
            }
            if (isSlave)
                ValidateSlave(options, node, key, errors);
        }

        foreach (var hosted in HostedIds(options) ?? [])
            if (options.Nodes.All(n => n.Id != hosted))
                errors.Add($"ReplDash:Node '{hosted}' is not one of ReplDash:Nodes.");
        var replication = options.Replication;
        if (options.Nodes.Any(n => string.Equals(n.Role, "slave", StringComparison.OrdinalIgnoreCase)) && string.IsNullOrEmpty(replication.Secret))
            errors.Add("ReplDash:Replication:Secret must be set when a slave is configured.");
        Check(errors, SettingRanges.LinkTimeoutSeconds, replication.LinkTimeoutSeconds);
        Check(errors, SettingRanges.SyncWindowItems, replication.SyncWindowItems);
        Check(errors, SettingRanges.SyncWindowBytes, replication.SyncWindowBytes);
        Check(errors, SettingRanges.SlowApplyMs, replication.SlowApplyMs);
        Check(errors, SettingRanges.AckCoalesceMs, replication.AckCoalesceMs);
        Check(errors, SettingRanges.HealWaitMs, replication.HealWaitMs);
        ValidateSemiSync(options, errors);
        ValidateSlaveIdentity(options, errors);
        ValidateTls(options.Tls, errors);
        return errors;
    }

    private static void ValidateSlave(ReplDashOptions options, NodeOptions node, string key, List<string> errors)
    {
        if (node.MasterAddress is { Length: > 0 } address)
        {
            if (!TryParseAddress(address, out _, out _))
                errors.Add($"{key}:MasterAddress '{address}' is not host:port.");
            return;
        }
        var master = options.Nodes.FirstOrDefault(n => n.Id == node.Master);
        if (master is null)
            errors.Add($"{key}:Master '{node.Master}' names no node in ReplDash:Nodes (or set MasterAddress).");
        else if (!string.Equals(master.Role, "master", StringComparison.OrdinalIgnoreCase) || master.ReplicationPort == 0)
            errors.Add($"{key}:Master '{node.Master}' is not a master with a ReplicationPort.");
    }

    private static void ValidateSemiSync(ReplDashOptions options, List<string> errors)
    {
        var semiSync = options.SemiSync;
        if (!SemiSyncConfig.TryParseWaitPoint(semiSync.WaitPoint, out _))
        {
            errors.Add($"ReplDash:SemiSync:WaitPoint '{semiSync.WaitPoint}' is not AfterSync or AfterCommit (MySQL's AFTER_SYNC and AFTER_COMMIT are accepted too).");
            return;
        }
        var config = ToSemiSyncConfig(semiSync);
        int mostSlaves = options.Nodes.Select(n => ConfiguredSlaves(options, n.Id)).DefaultIfEmpty(0).Max();
        if (config.Problem(mostSlaves, configKeys: true) is { } problem)
            errors.Add($"{problem}.");
    }

    /// <summary>The semi-sync settings as the engine takes them (the wait point must have been validated).</summary>
    public static SemiSyncConfig ToSemiSyncConfig(SemiSyncOptions options)
    {
        SemiSyncConfig.TryParseWaitPoint(options.WaitPoint, out var waitPoint);
        return new SemiSyncConfig(options.Enabled, waitPoint, options.WaitForSlaveCount, options.TimeoutMs, (SemiSyncTrace)options.TraceLevel);
    }

    /// <summary>How many slaves master <paramref name="masterId"/> accepts (<see cref="SlaveIdsOf"/>).</summary>
    public static int ConfiguredSlaves(ReplDashOptions options, string masterId) => SlaveIdsOf(options, masterId).Count;

    /// <summary>The ids listed in ReplDash:Node (comma-separated), or null when every node is hosted.</summary>
    public static HashSet<string>? HostedIds(ReplDashOptions options) =>
        string.IsNullOrWhiteSpace(options.Node)
            ? null
            : options.Node.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Parses "host:port".</summary>
    public static bool TryParseAddress(string address, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), out port) || port is < 1 or > 65535)
            return false;
        host = address[..colon];
        return true;
    }

    private static void CheckPort(List<string> errors, string key, int port)
    {
        if (SettingRanges.Port.Problem(key, port) is { } problem)
            errors.Add($"{problem}.");
    }

    /// <summary>Refuses a value outside its documented range (<see cref="SettingRanges"/>), naming its key.</summary>
    private static void Check(List<string> errors, SettingRange range, long value)
    {
        if (range.Problem(range.ConfigKey, value) is { } problem)
            errors.Add($"{problem}.");
    }

    private static void Check(List<string> errors, SettingRange range, double value)
    {
        if (range.Problem(range.ConfigKey, value) is { } problem)
            errors.Add($"{problem}.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NodeId();
}
