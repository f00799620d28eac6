using System.Diagnostics;
using System.Text;
using ReplDash.Engine.Core.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Link liveness on the master's side, driven by a <see cref="FakeSlave"/>: an idle link carries the master's
/// heartbeats, a slave that keeps talking stays linked for many link timeouts, and a slave that falls silent
/// is dropped once the link timeout has passed (a link-timeout event), not before.
/// </summary>
public class LinkLivenessTests
{
    private const double LinkTimeoutSeconds = 2;

    [Fact]
    public async Task IdleLink_CarriesHeartbeats_StaysUpWhileTheSlaveTalks_AndASilentSlaveIsDropped()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { LinkTimeoutSeconds = LinkTimeoutSeconds, SemiSync = false }, "m1", c => c.MasterResp);
        await using var app = started;
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            Assert.Equal("OK", await client.CallAsync("SET", "before", "v"));
        var info = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        var end = ReplicationProbe.ParsePosition(info["binlog_position"]);
        var lastId = ReplicationProbe.ParseTransactionId(info["last_transaction_id"]);
        await using var slave = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret);
        await slave.SendAsync(new TrySync(end, long.Parse(info["master_repl_offset"]), lastId, end));
        Assert.Equal(TrySyncOutcome.Continue, (await slave.ReceiveAsync<TrySyncReply>()).Outcome);

        // Three link timeouts during which the slave heartbeats every 300 ms and the master has nothing to
        // ship: the master's heartbeats (every LinkTimeout/3) are all that arrives.
        var talking = Stopwatch.StartNew();
        var masterHeartbeats = 0;
        var receiving = Task.Run(async () =>
        {
            while (talking.Elapsed < TimeSpan.FromSeconds(3 * LinkTimeoutSeconds))
            {
                Assert.IsType<Heartbeat>(await slave.ReceiveAsync(TimeSpan.FromSeconds(LinkTimeoutSeconds)));
                masterHeartbeats++;
            }
        });
        while (!receiving.IsCompleted)
        {
            await slave.SendAsync(new Heartbeat(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), end));
            await Task.WhenAny(receiving, Task.Delay(300));
        }
        await receiving;
        Assert.True(masterHeartbeats >= 3, $"only {masterHeartbeats} heartbeats from the master in {talking.Elapsed}");

        // Still linked: a write made now is shipped on this link.
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            Assert.Equal("OK", await client.CallAsync("SET", "after-idle", "v"));
        var batch = Assert.IsType<ItemBatch>(await slave.ReceiveSkippingHeartbeatsAsync());
        Assert.Contains(batch.Items, item => Encoding.UTF8.GetString(item.Encoded).Contains("after-idle"));

        // One last heartbeat, then silence (frames it still reads do not count): dropped after the link
        // timeout, counted from that heartbeat.
        var silent = Stopwatch.StartNew();
        await slave.SendAsync(new Heartbeat(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), end));
        Assert.True(await slave.ClosedByMasterWithinAsync(TimeSpan.FromSeconds(30)), "the master kept a silent slave's link open");
        Assert.True(silent.Elapsed >= TimeSpan.FromSeconds(LinkTimeoutSeconds * 0.9),
            $"the link was dropped after {silent.Elapsed}, before the {LinkTimeoutSeconds} s link timeout");
        await Convergence.WaitForEventAsync(app.BaseAddress, "link-timeout", TimeSpan.FromSeconds(30), "m1", "s1");
    }
}
