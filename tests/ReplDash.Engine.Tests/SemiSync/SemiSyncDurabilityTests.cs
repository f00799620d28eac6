using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L4, durability, with master and slave in separate processes: a write acknowledged to its client is
/// on the slave even when the master is killed (SIGKILL) right after; a write killed while it waits for its
/// ack was never seen by any client of the master.
/// </summary>
public class SemiSyncDurabilityTests
{
    [Fact]
    public async Task MasterKilledRightAfterAcks_EveryAcknowledgedWriteIsOnTheSlave()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 60_000 };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp);
        var acknowledged = new List<string>();
        try
        {
            await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
            // Several clients, so that acks cover groups of writes; the kill lands right after the last OK. Each on
            // its own pool thread: RespTestClient reads block, and a connect that completes at once would otherwise
            // run the writers one after the other.
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
                var mine = new List<string>();
                for (int i = 0; i < 150; i++)
                {
                    var key = $"acked:{w}:{i}";
                    Assert.Equal("OK", await client.CallAsync("SET", key, key));
                    mine.Add(key);
                }
                return mine;
            })).ToArray();
            foreach (var keys in await Task.WhenAll(writers))
                acknowledged.AddRange(keys);
        }
        finally
        {
            await master.KillAsync();
        }

        // The slave has every acknowledged write in its relay log; wait until it applied all it received.
        await WaitForSlaveToApplyItsRelayLogAsync(cluster.Slave1Resp);
        using var reader = await RespTestClient.ConnectAsync(cluster.Slave1Resp);
        var missing = new List<string>();
        foreach (var key in acknowledged)
            if (RespTestClient.Text(await reader.CallAsync("GET", key)) != key)
                missing.Add(key);
        Assert.Empty(missing);
        Assert.Equal(600, acknowledged.Count);
    }

    [Fact]
    public async Task MasterKilledWhileAWriteWaitsForItsAck_NoClientOfTheMasterEverSawIt()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 60_000, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp);
        using var writer = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var reader = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
        Assert.Equal("OK", await writer.CallAsync("SET", "k", "old"));

        await Convergence.ArmFaultAsync(slave.BaseAddress, "s1", "HoldAcks");
        await writer.SendAsync("SET", "k", "new");
        await writer.SendAsync("INCR", "counter");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp);
        var seen = new List<string?>();
        for (int i = 0; i < 20; i++)
        {
            seen.Add(RespTestClient.Text(await reader.CallAsync("GET", "k")));
            seen.Add(RespTestClient.Text(await reader.CallAsync("GET", "counter")));
        }
        await master.KillAsync();

        Assert.All(seen, value => Assert.True(value is "old" or null, $"a reader saw '{value}'"));
        // The writer never got an answer: the connection ends without one.
        var answer = await Record.ExceptionAsync(() => Task.Run(writer.ReadReply));
        Assert.NotNull(answer);
    }

    private static async Task WaitForSlaveToApplyItsRelayLogAsync(int slavePort)
    {
        var info = new Dictionary<string, string>();
        await Poll.UntilAsync(async () => (info = await Convergence.InfoAsync(slavePort, "replication"))["applied_position"] == info["relay_received"],
            "the slave to apply its relay log",
            describe: () => Task.FromResult($"applied {info["applied_position"]}, received {info["relay_received"]}"));
    }
}
