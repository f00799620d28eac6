using System.Collections.Concurrent;
using System.Text.Json;
using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Durability;

/// <summary>
/// A full disk is survivable (issue 11, case 5), on a real 8 MiB tmpfs that the test fills and then frees: clients
/// get the cause (MISCONF) instead of an SQLite rollback error, reads keep being served, the node resumes writing by
/// itself once there is space, and every acknowledged write is on the slaves and survives a restart. Only the full
/// node's own folder is on the tmpfs; the dashboard's database and the other nodes are on the normal disk.
/// </summary>
public class DiskFullTests(ITestOutputHelper output)
{
    private const int WriterClients = 4;
    private const int WritesAfterRecovery = 20;
    private static readonly string Value = new('v', 4096);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MasterDiskFull_RefusesWritesWithTheCause_ServesReads_ResumesBySelf_AndLosesNothingAcknowledged()
    {
        var cluster = new ClusterConfig { Extra = { ["ReplDash__Durability__BinlogSegmentBytes"] = "1048576" } };
        var masterDir = RepositoryPaths.NewTempDirectory("diskfull-master");
        using var disk = SmallTmpfs.Mount(Path.Combine(masterDir, "m1"), 8);
        await using var slaves = await cluster.StartAsync("s1,s2", cluster.Slave1Resp);
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp, masterDir);
        disk.FillLeaving(1536 * 1024);

        var acknowledged = new ConcurrentDictionary<string, string>();
        var refusals = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var writers = StartWriters(cluster.MasterResp, acknowledged, refusals, stop.Token);

        // The disk fills: the master holds the write it could not log and refuses new ones.
        await Poll.UntilAsync(async () => !refusals.IsEmpty || (await Convergence.InfoAsync(cluster.MasterResp, "persistence")).GetValueOrDefault("writes_blocked") == "1",
            "the master to block writes on the full disk", Deadline, async () => string.Join("; ", refusals) + " " + await DescribeAsync(cluster.MasterResp));
        foreach (var refusal in refusals.Distinct())
            output.WriteLine($"writer refused: {refusal}");
        Assert.All(refusals, refusal => Assert.StartsWith("MISCONF", refusal));
        int acknowledgedWhenFull = acknowledged.Count;
        Assert.True(acknowledgedWhenFull > 0, "some writes were acknowledged before the disk filled");

        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            var refused = Assert.IsType<RespError>(await client.CallAsync("SET", "while-full", "x"));
            output.WriteLine($"refusal while full: {refused.Message}");
            Assert.StartsWith("MISCONF Errors writing to the binlog", refused.Message);
            Assert.Contains("No space left on device", refused.Message);
            Assert.DoesNotContain("rollback", refused.Message);

            // Reads are served from memory meanwhile.
            var (readKey, readValue) = acknowledged.First();
            Assert.Equal(readValue, RespTestClient.Text(await client.CallAsync("GET", readKey)));
            Assert.Equal("PONG", await client.CallAsync("PING"));
        }
        var server = await Convergence.InfoAsync(cluster.MasterResp, "server");
        Assert.Equal("degraded", server["node_state"]);
        var persistence = await Convergence.InfoAsync(cluster.MasterResp, "persistence");
        Assert.Equal("err", persistence["aof_last_write_status"]);
        Assert.Contains("No space left on device", persistence["disk_error"]);
        var m1 = await NodeFromApiAsync(master.BaseAddress, "m1");
        Assert.Equal("degraded", m1.GetProperty("state").GetString());
        Assert.Contains("No space left on device", m1.GetProperty("lastError").GetString());

        // Space comes back: the node writes the held transactions and takes writes again, by itself.
        disk.RemoveFiller();
        await Poll.UntilAsync(async () =>
        {
            using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
            return await client.CallAsync("SET", "after-full", "yes") is "OK";
        }, "the master to take writes again", Deadline, () => DescribeAsync(cluster.MasterResp));
        acknowledged["after-full"] = "yes";
        await Convergence.WaitForEventAsync(master.BaseAddress, "disk-full", Deadline, "m1");
        await Convergence.WaitForEventAsync(master.BaseAddress, "disk-space-recovered", Deadline, "m1");
        // The binlog and the store each recover on their own retry (each raises disk-space-recovered): the node is
        // "running" again once both have.
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(cluster.MasterResp, "server"))["node_state"] == "running",
            "node_state running again once the binlog and the store have room", Deadline, () => DescribeAsync(cluster.MasterResp));
        await Poll.UntilAsync(() => acknowledged.Count >= acknowledgedWhenFull + WriterClients * WritesAfterRecovery,
            "the writers to go on after the disk recovered", Deadline);
        stop.Cancel();
        await Task.WhenAll(writers).WaitAsync(Deadline);
        output.WriteLine($"acknowledged {acknowledged.Count} writes ({acknowledgedWhenFull} when the disk filled); refusals: {refusals.Count}");

        // Every acknowledged write is on both slaves...
        foreach (var slavePort in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
        {
            var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slavePort, Deadline);
            Assert.Equal(masterDigest, slaveDigest);
            await AssertHoldsAsync(slavePort, acknowledged);
        }

        // ...and survives a SIGKILL of the master and its restart from the disk that was full.
        await master.KillAsync();
        await using var restarted = await master.RestartAsync();
        await AssertHoldsAsync(cluster.MasterResp, acknowledged);
        var (afterRestart, slaveAfterRestart) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(afterRestart, slaveAfterRestart);
    }

    [Fact]
    public async Task SlaveDiskFull_StopsReceiving_ServesReads_AndCatchesUpBySelf()
    {
        var cluster = new ClusterConfig { Extra = { ["ReplDash__Durability__BinlogSegmentBytes"] = "1048576" } };
        var slaveDir = RepositoryPaths.NewTempDirectory("diskfull-slave");
        using var disk = SmallTmpfs.Mount(Path.Combine(slaveDir, "s1"), 8);
        await using var master = await cluster.StartAsync("m1,s2", cluster.MasterResp);
        await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);

        var acknowledged = new Dictionary<string, string>();
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            Assert.Equal("OK", await client.CallAsync("SET", "early", "before the disk filled"));
            acknowledged["early"] = "before the disk filled";
            await Poll.UntilAsync(async () => await Convergence.GetAsync(cluster.Slave1Resp, "early") is not null, "s1 to apply the first write", Deadline);
            disk.FillLeaving(1536 * 1024);

            // The master goes on (s2 acknowledges) while s1's disk fills.
            int written = 0;
            while ((await Convergence.InfoAsync(cluster.Slave1Resp, "persistence")).GetValueOrDefault("writes_blocked") != "1")
            {
                if (written >= 3000)
                    Assert.Fail($"s1 never blocked: {await DescribeAsync(cluster.Slave1Resp)}; GET early on s1: {await Convergence.GetAsync(cluster.Slave1Resp, "early")}");
                for (int j = 0; j < 10; j++, written++)
                {
                    Assert.Equal("OK", await client.CallAsync("SET", $"k{written}", Value));
                    acknowledged[$"k{written}"] = Value;
                }
            }
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal("OK", await client.CallAsync("SET", $"while-s1-full-{i}", "x"));
                acknowledged[$"while-s1-full-{i}"] = "x";
            }
        }

        // s1 serves reads of what it has, says why it is behind, and is not linked meanwhile.
        Assert.Equal("before the disk filled", await Convergence.GetAsync(cluster.Slave1Resp, "early"));
        Assert.Equal("degraded", (await Convergence.InfoAsync(cluster.Slave1Resp, "server"))["node_state"]);
        Assert.Contains("relay log", (await Convergence.InfoAsync(cluster.Slave1Resp, "persistence"))["disk_error"]);
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(cluster.Slave1Resp, "replication"))["master_link_status"] == "down",
            "s1 to stop receiving", Deadline);

        disk.RemoveFiller();
        var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(masterDigest, slaveDigest);
        Assert.Equal("running", (await Convergence.InfoAsync(cluster.Slave1Resp, "server"))["node_state"]);
        await Convergence.WaitForEventAsync(slave.BaseAddress, "disk-space-recovered", Deadline, "s1");
        await AssertHoldsAsync(cluster.Slave1Resp, acknowledged);

        await slave.KillAsync();
        await using var restarted = await slave.RestartAsync();
        var (again, slaveAgain) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(again, slaveAgain);
        await AssertHoldsAsync(cluster.Slave1Resp, acknowledged);
    }

    /// <summary>
    /// Clients writing 4 KiB values one after the other until stopped. A reply held while the disk is full is
    /// awaited (it comes once the write is logged); a refusal ends that client's run.
    /// </summary>
    private static Task[] StartWriters(int port, ConcurrentDictionary<string, string> acknowledged, ConcurrentQueue<string> refusals,
        CancellationToken stop) =>
        Enumerable.Range(0, WriterClients).Select(c => Task.Run(async () =>
        {
            using var client = await RespTestClient.ConnectAsync(port, TimeSpan.FromSeconds(120));
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string key = $"w{c}:{i}";
                var reply = await client.CallAsync("SET", key, Value);
                if (reply is RespError error)
                {
                    refusals.Enqueue(error.Message);
                    // Keep going: a refused write is not acknowledged; the client tries again later, like a real one.
                    await Task.Delay(50);
                    continue;
                }
                Assert.Equal("OK", reply);
                acknowledged[key] = Value;
            }
        })).ToArray();

    private static async Task AssertHoldsAsync(int port, IReadOnlyDictionary<string, string> acknowledged)
    {
        using var client = await RespTestClient.ConnectAsync(port);
        var missing = new List<string>();
        foreach (var (key, value) in acknowledged)
            if (RespTestClient.Text(await client.CallAsync("GET", key)) != value)
                missing.Add(key);
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged keys missing or wrong on port {port}: {string.Join(", ", missing.Take(10))}");
    }

    private static async Task<JsonElement> NodeFromApiAsync(Uri baseAddress, string id)
    {
        using var http = TestCredentials.Client(baseAddress);
        using var json = JsonDocument.Parse(await http.GetStringAsync("api/cluster"));
        return json.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == id).Clone();
    }

    private static async Task<string> DescribeAsync(int port)
    {
        try
        {
            var server = await Convergence.InfoAsync(port, "server");
            var persistence = await Convergence.InfoAsync(port, "persistence");
            return $"node_state={server.GetValueOrDefault("node_state")}, writes_blocked={persistence.GetValueOrDefault("writes_blocked")}, " +
                $"disk_error={persistence.GetValueOrDefault("disk_error")}";
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return $"INFO failed: {e.Message}";
        }
    }
}
