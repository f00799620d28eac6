using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Lesson L5: while a restarted master waits for its slaves' relay logs (the heal wait), it logs nothing, because the
/// next binlog position may be where a slave holds this master's lost tail. Writes get LOADING; this test covers the
/// one path that turned a read into a binlog item: a read meeting a key that expired while the process was down
/// (a lazy expiry logs a DEL). The key must read as expired and the binlog must not move.
/// </summary>
public class HealWaitLogsNothingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadOfAKeyThatExpiredWhileDown_DuringTheHealWait_AnswersNil_AndLogsNoDel()
    {
        // m1 alone; its slaves are configured but never started, so the restarted master waits for them all along.
        var cluster = new ClusterConfig { Extra = new() { ["ReplDash__Replication__HealWaitMs"] = "120000" } };
        string dataDir;
        long expiresAtMs;
        await using (var first = await cluster.StartAsync("m1", cluster.MasterResp))
        {
            dataDir = first.DataDir;
            using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
            Assert.Equal("OK", await client.CallAsync("SET", "other", "stays"));
            Assert.Equal("OK", await client.CallAsync("SET", "short-lived", "v", "PX", "3000"));
            expiresAtMs = Assert.IsType<long>(await client.CallAsync("PEXPIRETIME", "short-lived"));
            await first.StopAsync();
        }

        await using var restarted = await cluster.StartAsync("m1", cluster.MasterResp, dataDir);
        using var reader = await RespTestClient.ConnectAsync(cluster.MasterResp);
        var refused = Assert.IsType<RespError>(await reader.CallAsync("SET", "x", "y"));
        Assert.StartsWith("LOADING", refused.Message);
        // Both keys were loaded (nothing deletes an expired key while the master waits), so the read below meets one.
        Assert.Equal(2L, await reader.CallAsync("DBSIZE"));

        // The key's expiry is an instant on this machine's clock: wait for it to pass.
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > expiresAtMs + 50, "the key's expiry to pass", Deadline);
        long before = await MasterOffsetAsync(cluster.MasterResp);
        Assert.Null(await reader.CallAsync("GET", "short-lived"));
        Assert.Equal(0L, await reader.CallAsync("EXISTS", "short-lived"));
        Assert.Equal("stays", await Convergence.GetAsync(cluster.MasterResp, "other"));
        Assert.Equal(before, await MasterOffsetAsync(cluster.MasterResp));
    }

    private static async Task<long> MasterOffsetAsync(int respPort) =>
        long.Parse((await Convergence.InfoAsync(respPort, "replication"))["master_repl_offset"]);
}
