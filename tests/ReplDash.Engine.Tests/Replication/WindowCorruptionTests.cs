using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>Lesson L1's last guarantee with a real slave: a forged ack is window corruption, never trusted, and the link heals.</summary>
public class WindowCorruptionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ForgedAck_IsReportedAsWindowCorruption_AndTheSessionRecovers()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig { Extra = { ["ReplDash__Faults__Enabled"] = "true" } }, "m1,s1", c => c.MasterResp);
        await using var app = started;

        await WriteAsync(cluster.MasterResp, 0, 100);
        var (masterBefore, slaveBefore) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(masterBefore, slaveBefore);
        Assert.Equal("0", (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["repl_window_corruptions"]);
        // Events are stored asynchronously: wait for the first link's before counting.
        await ReplicationProbe.WaitForEventCountAsync(app.BaseAddress, "link-up", "s1", 1, Deadline);
        int linksBefore = await ReplicationProbe.CountEventsAsync(app.BaseAddress, "link-up", "s1");
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "window-corruption"));

        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "ForgeAck");
        await WriteAsync(cluster.MasterResp, 100, 100);

        var corruption = await Convergence.WaitForEventAsync(app.BaseAddress, "window-corruption", Deadline, "m1");
        Assert.Contains("slave s1", corruption);
        int corruptions = int.Parse((await Convergence.InfoAsync(cluster.MasterResp, "replication"))["repl_window_corruptions"]);
        Assert.True(corruptions >= 1, $"repl_window_corruptions = {corruptions}");

        // The slave reconnects by itself and ends with exactly the master's data.
        await ReplicationProbe.WaitForEventCountAsync(app.BaseAddress, "link-up", "s1", linksBefore + 1, Deadline);
        var (master, slave) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(master, slave);
        Assert.NotEqual(masterBefore, master);
        Assert.Equal("200", await Convergence.GetAsync(cluster.MasterResp, "counter"));
        Assert.Equal("200", await Convergence.GetAsync(cluster.Slave1Resp, "counter"));
        Assert.Equal(200, (await Convergence.GetAsync(cluster.Slave1Resp, "log"))!.Length);
        var masterInfo = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        var slaveInfo = await Convergence.InfoAsync(cluster.Slave1Resp, "replication");
        Assert.Equal(masterInfo["master_repl_offset"], slaveInfo["slave_repl_offset"]);
        await Poll.UntilAsync(async () =>
            (await Convergence.InfoAsync(cluster.Slave1Resp, "replication"))["master_link_status"] == "up",
            "s1's link is up again", Deadline);
    }

    /// <summary>Non-idempotent writes: a replayed or skipped item would show in the counter or the log.</summary>
    private static async Task WriteAsync(int respPort, int from, int count)
    {
        using var client = await RespTestClient.ConnectAsync(respPort);
        for (int i = from; i < from + count; i++)
        {
            Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", $"v{i}"));
            Assert.Equal((long)i + 1, await client.CallAsync("INCR", "counter"));
            Assert.Equal((long)i + 1, await client.CallAsync("APPEND", "log", "x"));
        }
    }
}
