using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Publish items survive a SIGKILL and restart of the whole embedded cluster: the master's binlog and the slaves'
/// relay logs replay past them (they change no data and are not taken for unknown commands), every node runs again with
/// the master's data, and no old message is delivered again to a subscriber connected after the restart.
/// </summary>
public sealed class PublishReplayTests
{
    [Fact]
    public async Task ClusterKilledAfterPublishes_RestartsReplaysAndDeliversNoOldMessage()
    {
        // No checkpoint before the kill: the restart replays every item since the start, publish items included.
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = { ["ReplDash__Durability__CheckpointIntervalMs"] = "3600000" } }, "m1,s1,s2", c => c.MasterResp);
        ReplDashProcess? app = started;
        try
        {
            await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(60));
            await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, TimeSpan.FromSeconds(60));
            using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                for (int i = 0; i < 20; i++)
                {
                    Assert.Equal("OK", await master.CallAsync("SET", $"replay:{i}", $"v{i}"));
                    await master.CallAsync("PUBLISH", "replay:events", $"old message {i}");
                }
            }
            await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(60));
            await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, TimeSpan.FromSeconds(60));

            string dataDir = app.DataDir;
            await app.KillAsync();
            await app.DisposeAsync();
            app = null;
            app = await cluster.StartAsync("m1,s1,s2", cluster.MasterResp, dataDir);

            using var subscriber = await RespTestClient.ConnectAsync(cluster.Slave1Resp);
            await subscriber.CallAsync("SUBSCRIBE", "replay:events");
            foreach (int slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
            {
                var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, TimeSpan.FromSeconds(60));
                Assert.Equal(masterDigest, slaveDigest);
            }
            Assert.Equal("v19", await Convergence.GetAsync(cluster.Slave2Resp, "replay:19"));
            using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
                await master.CallAsync("PUBLISH", "replay:events", "new message");
            // The first message the subscriber reads is the new one: nothing replayed was delivered again.
            Assert.Equal("new message", RespTestClient.Text(Assert.IsType<object?[]>(subscriber.ReadReply())[2]));
        }
        finally
        {
            if (app is not null)
                await app.DisposeAsync();
        }
    }
}
