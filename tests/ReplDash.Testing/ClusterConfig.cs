namespace ReplDash.Testing;

/// <summary>
/// Ports and configuration (environment form) for a replication cluster in tests: m1 (master) and slaves s1,
/// s2, every port free, either all in one process (embedded) or one node per process.
/// </summary>
public sealed class ClusterConfig
{
    public const string Secret = "test-replication-secret";

    public int MasterResp { get; } = FreePort.Next();
    public int MasterReplication { get; } = FreePort.Next();
    public int Slave1Resp { get; } = FreePort.Next();
    public int Slave2Resp { get; } = FreePort.Next();

    /// <summary>Link timeout for every node, seconds.</summary>
    public double LinkTimeoutSeconds { get; init; } = 20;

    /// <summary>Semi-sync (on by default, as in production) and its timeout for this cluster.</summary>
    public bool SemiSync { get; init; } = true;
    public long SemiSyncTimeoutMs { get; init; } = 3000;

    /// <summary>Extra settings applied to every process (fault switches, durability...).</summary>
    public Dictionary<string, string> Extra { get; init; } = new();

    /// <summary>Settings for a process hosting <paramref name="hostedNodes"/> (comma-separated ids).</summary>
    public Dictionary<string, string> For(string hostedNodes)
    {
        var settings = new Dictionary<string, string>
        {
            ["ReplDash__Node"] = hostedNodes,
            ["ReplDash__Replication__Secret"] = Secret,
            ["ReplDash__Replication__LinkTimeoutSeconds"] = LinkTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ReplDash__SemiSync__Enabled"] = SemiSync ? "true" : "false",
            ["ReplDash__SemiSync__TimeoutMs"] = SemiSyncTimeoutMs.ToString(),
            ["ReplDash__Nodes__0__Id"] = "m1",
            ["ReplDash__Nodes__0__Role"] = "master",
            ["ReplDash__Nodes__0__RespPort"] = MasterResp.ToString(),
            ["ReplDash__Nodes__0__ReplicationPort"] = MasterReplication.ToString(),
            ["ReplDash__Nodes__1__Id"] = "s1",
            ["ReplDash__Nodes__1__Role"] = "slave",
            ["ReplDash__Nodes__1__RespPort"] = Slave1Resp.ToString(),
            ["ReplDash__Nodes__1__Master"] = "m1",
            // Explicit address: works whether or not m1 is in the same process.
            ["ReplDash__Nodes__1__MasterAddress"] = $"127.0.0.1:{MasterReplication}",
            ["ReplDash__Nodes__2__Id"] = "s2",
            ["ReplDash__Nodes__2__Role"] = "slave",
            ["ReplDash__Nodes__2__RespPort"] = Slave2Resp.ToString(),
            ["ReplDash__Nodes__2__Master"] = "m1",
            ["ReplDash__Nodes__2__MasterAddress"] = $"127.0.0.1:{MasterReplication}",
        };
        foreach (var (key, value) in Extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>Starts one process hosting <paramref name="hostedNodes"/>; ready when <paramref name="readyPort"/> answers.</summary>
    public Task<ReplDashProcess> StartAsync(string hostedNodes, int readyPort, string? dataDir = null) =>
        ReplDashProcess.StartAsync(dataDir ?? RepositoryPaths.NewTempDirectory(hostedNodes.Replace(',', '-')), For(hostedNodes),
            respPort: MasterResp, readyPort: readyPort);
}
