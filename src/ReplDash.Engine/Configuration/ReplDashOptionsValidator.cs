using System.Net;
using System.Text.RegularExpressions;

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
        if (options.Durability.SyncBinlog < 0)
            errors.Add($"ReplDash:Durability:SyncBinlog must be 0 or more (got {options.Durability.SyncBinlog}).");
        if (options.Durability.BinlogSegmentBytes < 4096)
            errors.Add($"ReplDash:Durability:BinlogSegmentBytes must be at least 4096 (got {options.Durability.BinlogSegmentBytes}).");
        if (options.Durability.CheckpointIntervalMs < 1)
            errors.Add($"ReplDash:Durability:CheckpointIntervalMs must be at least 1 (got {options.Durability.CheckpointIntervalMs}).");
        if (options.Limits.MaxBulkBytes < 1 || options.Limits.MaxArguments < 1 || options.Limits.MaxInlineBytes < 16 || options.Limits.MaxClients < 1)
            errors.Add("ReplDash:Limits values must be positive (MaxInlineBytes at least 16).");
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
            if (!string.Equals(node.Role, "master", StringComparison.OrdinalIgnoreCase))
                errors.Add($"{key}:Role '{node.Role}' is not supported (use \"master\").");
            CheckPort(errors, $"{key}:RespPort", node.RespPort);
            if (!ports.Add(node.RespPort))
                errors.Add($"{key}:RespPort {node.RespPort} is already used by another listener.");
        }
        return errors;
    }

    private static void CheckPort(List<string> errors, string key, int port)
    {
        if (port is < 1 or > 65535)
            errors.Add($"{key} must be a TCP port 1-65535 (got {port}).");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NodeId();
}
