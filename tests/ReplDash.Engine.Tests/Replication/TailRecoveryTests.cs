using ReplDash.Engine.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Lesson L5 with real processes: a master whose binlog lost the tail after a write was acknowledged takes that
/// tail back from its slaves before it serves writes, so the acknowledged key survives on every node. Under the
/// unsafe legacy switch (the behaviour before), the same scenario loses it.
/// </summary>
public class TailRecoveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string AckedKey = "acked";
    private const string AckedValue = "written-acknowledged-then-lost-by-m1";

    [Fact]
    public async Task DamagedMasterTail_IsTakenBackFromTheSlaves_AndTheAcknowledgedWriteIsOnEveryNode()
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000,
            Extra = new() { ["ReplDash__Replication__HealWaitMs"] = "120000" },
        };
        var (master, s1, s2) = await StartAndLoseTheMastersTailAsync(cluster);
        await using var s1Process = s1;
        await using var restarted = master;
        try
        {
            // s1 reconnects and gives the lost item back; s2 is away, so the master still refuses writes.
            var recovered = await Convergence.WaitForEventAsync(restarted.BaseAddress, "tail-recovered", Deadline, "m1", "from slave s1");
            Assert.Contains("1 item(s)", recovered);
            Assert.Equal(AckedValue, await Convergence.GetAsync(cluster.MasterResp, AckedKey));
            using (var writer = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                var refused = Assert.IsType<RespError>(await writer.CallAsync("SET", "during-wait", "x"));
                Assert.StartsWith("LOADING", refused.Message);
            }
            await Convergence.WaitForEventAsync(s1.BaseAddress, "tail-sent-back", Deadline, "s1");

            // s2 comes back level with the healed master: every configured slave reported, writes are served again.
            await using var s2Back = await cluster.StartAsync("s2", cluster.Slave2Resp, s2.DataDir);
            var end = await Convergence.WaitForEventAsync(restarted.BaseAddress, "heal-wait-end", Deadline, "m1", "every configured slave reported");
            Assert.Contains("from slave s1", end);
            using (var writer = await RespTestClient.ConnectAsync(cluster.MasterResp))
                Assert.Equal("OK", await writer.CallAsync("SET", "after-wait", "y"));

            foreach (var port in new[] { cluster.MasterResp, cluster.Slave1Resp, cluster.Slave2Resp })
                await Poll.UntilAsync(async () => await Convergence.GetAsync(port, "after-wait") == "y", $"after-wait on {port}", Deadline);
            foreach (var port in new[] { cluster.MasterResp, cluster.Slave1Resp, cluster.Slave2Resp })
                Assert.Equal(AckedValue, await Convergence.GetAsync(port, AckedKey));
            var (m, d1) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
            var (_, d2) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, Deadline);
            Assert.Equal(m, d1);
            Assert.Equal(m, d2);
            Assert.Equal(0, await ReplicationProbe.CountEventsAsync(restarted.BaseAddress, "full-resync-start", "m1"));
        }
        finally
        {
            await s2.DisposeAsync();
        }
    }

    [Fact]
    public async Task DamagedMasterTail_UnderTheUnsafeLegacySwitch_TheAcknowledgedWriteIsLostEverywhere()
    {
        // The behaviour before lesson L5: the master fully resyncs the slaves back to its shorter history.
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000,
            Extra = new()
            {
                ["ReplDash__Faults__Enabled"] = "true",
                ["ReplDash__Faults__UnsafeOverwriteSlaveHistory"] = "true",
            },
        };
        var (master, s1, s2) = await StartAndLoseTheMastersTailAsync(cluster);
        await using var s1Process = s1;
        await using var s2Process = s2;
        await using var restarted = master;

        await Convergence.WaitForEventAsync(s1.BaseAddress, "full-resync-end", Deadline, "s1");
        // The restarted master's recovered binlog (its store is gone: all of it) is visible once a slave acknowledges it;
        // a resynced slave counts from its first ack, so one write after the resync (REPLICATION.md, "A restarted
        // master's recovered tail").
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            Assert.Equal("OK", await client.CallAsync("SET", "after:resync", "1"));
        var (m, d1) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(m, d1);
        Assert.Null(await Convergence.GetAsync(cluster.MasterResp, AckedKey));
        Assert.Null(await Convergence.GetAsync(cluster.Slave1Resp, AckedKey));
    }

    /// <summary>
    /// m1, s1 and s2 in three processes; an acknowledged write reaches both relay logs; m1 is killed, the last bytes
    /// of its binlog are cut (the write's item is torn) and its store removed (so nothing but the binlog speaks for
    /// it); s2 stops; m1 restarts. Returns the restarted master, s1 (running) and s2 (stopped).
    /// </summary>
    private static async Task<(ReplDashProcess Master, ReplDashProcess S1, ReplDashProcess S2)> StartAndLoseTheMastersTailAsync(ClusterConfig cluster)
    {
        var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var s1 = await cluster.StartAsync("s1", cluster.Slave1Resp);
        var s2 = await cluster.StartAsync("s2", cluster.Slave2Resp);
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 2);
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            for (int i = 0; i < 20; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"before:{i}", $"v{i}"));
            Assert.Equal("OK", await client.CallAsync("SET", AckedKey, AckedValue));
        }
        var end = (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["binlog_position"];
        foreach (var port in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
            await Poll.UntilAsync(async () => (await Convergence.InfoAsync(port, "replication"))["relay_received"] == end,
                $"the slave on {port} to hold {end} in its relay log", Deadline);
        await master.KillAsync();

        var binlog = Path.Combine(master.DataDir, "m1", "binlog");
        var last = BinlogDirectory.SegmentPath(binlog, BinlogDirectory.ListSegmentNumbers(binlog)[^1]);
        using (var file = new FileStream(last, FileMode.Open))
            file.SetLength(file.Length - 3);
        foreach (var store in Directory.GetFiles(Path.Combine(master.DataDir, "m1"), "store.db*"))
            File.Delete(store);
        await s2.StopAsync();

        var restarted = await master.RestartAsync();
        await master.DisposeAsync();
        await Convergence.WaitForEventAsync(restarted.BaseAddress, "torn-tail-truncated", Deadline, "m1");
        return (restarted, s1, s2);
    }
}
