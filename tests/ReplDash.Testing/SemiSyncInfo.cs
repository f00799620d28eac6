namespace ReplDash.Testing;

/// <summary>Reads INFO semisync and waits, with a deadline, for it to reach a state.</summary>
public static class SemiSyncInfo
{
    /// <summary>INFO semisync of the master on <paramref name="respPort"/>.</summary>
    public static Task<Dictionary<string, string>> ReadAsync(int respPort) => Convergence.InfoAsync(respPort, "semisync");

    public static long Number(Dictionary<string, string> info, string field) => long.Parse(info[field]);

    /// <summary>Polls INFO semisync until <paramref name="condition"/> holds; returns that INFO.</summary>
    public static async Task<Dictionary<string, string>> WaitUntilAsync(int respPort, Func<Dictionary<string, string>, bool> condition,
        string what, TimeSpan? timeout = null)
    {
        var info = new Dictionary<string, string>();
        await Poll.UntilAsync(async () => condition(info = await ReadAsync(respPort)), $"semi-sync to reach '{what}'", timeout,
            () => Task.FromResult(string.Join(", ", info.Select(kv => $"{kv.Key}={kv.Value}"))));
        return info;
    }

    /// <summary>Waits until at least <paramref name="count"/> client writes wait for acknowledgements.</summary>
    public static Task<Dictionary<string, string>> WaitingSessionsAsync(int respPort, int count = 1) =>
        WaitUntilAsync(respPort, i => Number(i, "Rpl_semi_sync_master_wait_sessions") >= count, $"{count} waiting session(s)");

    /// <summary>Waits until exactly <paramref name="count"/> slaves stream to the master (Rpl_semi_sync_master_clients).</summary>
    public static Task<Dictionary<string, string>> ClientsAsync(int respPort, int count) =>
        WaitUntilAsync(respPort, i => i["Rpl_semi_sync_master_clients"] == count.ToString(), $"{count} slave(s) streaming");

    /// <summary>Waits until the status is ON (true) or OFF (false).</summary>
    public static Task<Dictionary<string, string>> StatusAsync(int respPort, bool on, TimeSpan? timeout = null) =>
        WaitUntilAsync(respPort, i => i["Rpl_semi_sync_master_status"] == (on ? "ON" : "OFF"), on ? "status ON" : "status OFF", timeout);

    /// <summary>Waits until the master's INFO replication lists <paramref name="slaveId"/> at the master's current offset.</summary>
    public static async Task SlaveAckedMasterEndAsync(int masterPort, string slaveId, TimeSpan? timeout = null)
    {
        string? line = null;
        await Poll.UntilAsync(async () =>
        {
            var info = await Convergence.InfoAsync(masterPort, "replication");
            line = info.Where(kv => kv.Key.StartsWith("slave", StringComparison.Ordinal) && kv.Value.Contains($"id={slaveId}")).Select(kv => kv.Value).FirstOrDefault();
            return line is not null && line.Contains($"offset={info["master_repl_offset"]},");
        }, $"{slaveId} to acknowledge the master's end", timeout, describe: () => Task.FromResult(line ?? "not listed"));
    }
}
