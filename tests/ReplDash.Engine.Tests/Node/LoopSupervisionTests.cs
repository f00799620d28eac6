using System.Diagnostics;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>
/// Issue 11: a background loop that throws is never silently gone. Fault points make a loop throw; its supervisor
/// must report it (events loop-failed and loop-restarted) and start it again, and the loop's work must go on.
/// </summary>
public class LoopSupervisionTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task KilledSemiSyncTimeoutLoop_IsRestarted_AndTheWaitingWriteStillTimesOut()
    {
        // m1 alone, with two slaves configured: semi-sync starts ON and nobody acknowledges.
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 700, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp, TimeSpan.FromSeconds(20));
        await SemiSyncInfo.StatusAsync(cluster.MasterResp, on: true);

        await Convergence.ArmFaultAsync(app.BaseAddress, "m1", "KillSemiSyncTimeoutLoop");
        var timer = Stopwatch.StartNew();
        Assert.Equal("OK", await client.CallAsync("SET", "k", "1")); // the loop dies as this write starts waiting
        Assert.True(timer.ElapsedMilliseconds >= 650, $"answered after {timer.ElapsedMilliseconds} ms, before the timeout");
        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal("OFF", info["Rpl_semi_sync_master_status"]);
        Assert.Equal(1, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_times"));

        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-failed", EventTimeout, "m1", "The semisync-timeout loop failed (InjectedFaultException");
        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-restarted", EventTimeout, "m1", "semisync-timeout");
        Assert.Contains("the semisync-timeout loop failed", app.Output);
    }

    [Fact]
    public async Task KilledMaintenanceLoop_IsRestarted_AndKeysStillExpire()
    {
        var cluster = new ClusterConfig { SemiSync = false, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);

        await Convergence.ArmFaultAsync(app.BaseAddress, "m1", "KillMaintenanceLoop");
        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-failed", EventTimeout, "m1", "The maintenance loop failed (InjectedFaultException");
        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-restarted", EventTimeout, "m1", "maintenance");

        // Active expiry runs only on the maintenance loop: its DEL moves the binlog end though no client touches the
        // key. The end is read on the same connection right after the SET, well inside the key's 2 s life.
        Assert.Equal("OK", await client.CallAsync("SET", "short-lived", "v", "PX", "2000"));
        string afterSet = BinlogEnd(RespTestClient.Text(await client.CallAsync("INFO", "persistence"))!);
        await Poll.UntilAsync(async () => BinlogEnd(RespTestClient.Text(await client.CallAsync("INFO", "persistence"))!) != afterSet,
            "the restarted maintenance loop to expire the key", TimeSpan.FromSeconds(15));
    }

    private static string BinlogEnd(string info) =>
        info.Split("\r\n").Single(line => line.StartsWith("binlog_end:", StringComparison.Ordinal));

    [Fact]
    public async Task KilledReplicationLinkLoop_IsRestarted_AndTheSlaveCatchesUp()
    {
        var cluster = new ClusterConfig { SemiSync = false, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await client.CallAsync("SET", "before", "1"));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(20));

        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "KillReplicationLinkLoop");
        Assert.Equal("OK", await client.CallAsync("SET", "during", "2")); // the batch that carries it meets the fault
        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-failed", EventTimeout, "s1", "The replication-link loop failed (InjectedFaultException");
        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-restarted", EventTimeout, "s1", "replication-link");

        Assert.Equal("OK", await client.CallAsync("SET", "after", "3"));
        var (master, slave) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(20));
        Assert.Equal(master, slave);
        Assert.Equal("3", await Convergence.GetAsync(cluster.Slave1Resp, "after"));
    }

    [Fact]
    public async Task KilledApplyLoop_FailsTheSlaveVisibly_WithTheReason_AndTheMasterKeepsServing()
    {
        var cluster = new ClusterConfig { SemiSync = false, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await client.CallAsync("SET", "before", "1"));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(20));

        // An apply that throws may leave memory half-changed: the slave must stop serving, and say why.
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "KillApplyLoop");
        Assert.Equal("OK", await client.CallAsync("SET", "during", "2"));
        await Convergence.WaitForEventAsync(app.BaseAddress, "loop-failed", EventTimeout, "s1", "The apply loop failed (InjectedFaultException");
        await Convergence.WaitForEventAsync(app.BaseAddress, "node-failed", EventTimeout, "s1", "the apply loop failed");
        using var slave = await RespTestClient.ConnectAsync(cluster.Slave1Resp);
        var refused = Assert.IsType<RespError>(await slave.CallAsync("GET", "before"));
        Assert.Contains("node s1 failed: the apply loop failed", refused.Message);

        Assert.Equal("OK", await client.CallAsync("SET", "after", "3"));
        Assert.Equal("3", await Convergence.GetAsync(cluster.MasterResp, "after"));
    }
}
