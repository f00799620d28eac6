using System.Diagnostics;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>Redis's WAIT: how many slaves hold the client's writes synced to their relay log.</summary>
public class WaitCommandTests
{
    [Fact]
    public async Task Wait_CountsSlavesThatAcknowledgedTheClientsWrites()
    {
        var cluster = new ClusterConfig { Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1,s1,s2", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, TimeSpan.FromSeconds(30));

        Assert.Equal("OK", await client.CallAsync("SET", "w", "1"));
        Assert.Equal(2L, await client.CallAsync("WAIT", "2", "10000"));

        // Asking for more slaves than exist answers what was reached once the timeout passes. Both slaves
        // acknowledge the write first (with a long timeout): a slave's ack can take more than 300 ms on a
        // loaded machine, and the short WAIT below is about its timeout, not about the ack's speed.
        Assert.Equal("OK", await client.CallAsync("SET", "w", "2"));
        Assert.Equal(2L, await client.CallAsync("WAIT", "2", "10000"));
        var timer = Stopwatch.StartNew();
        Assert.Equal(2L, await client.CallAsync("WAIT", "3", "300"));
        Assert.True(timer.ElapsedMilliseconds >= 300, $"WAIT returned after {timer.ElapsedMilliseconds} ms, before its timeout");

        // A slave that stops acknowledging is not counted: once s1 holds the write, asking for two still gets one.
        await Convergence.ArmFaultAsync(app.BaseAddress, "s2", "DropAcks", count: 1_000_000);
        Assert.Equal("OK", await client.CallAsync("SET", "w", "3"));
        Assert.Equal(1L, await client.CallAsync("WAIT", "1", "10000"));
        Assert.Equal(1L, await client.CallAsync("WAIT", "2", "500"));

        using var replica = await RespTestClient.ConnectAsync(cluster.Slave1Resp);
        var refused = Assert.IsType<RespError>(await replica.CallAsync("WAIT", "1", "100"));
        Assert.StartsWith("ERR WAIT cannot be used with replica instances", refused.Message);
        Assert.Equal(new RespError("ERR timeout is negative"), await client.CallAsync("WAIT", "1", "-1"));
    }
}
