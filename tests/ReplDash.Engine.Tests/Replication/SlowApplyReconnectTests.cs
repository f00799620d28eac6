using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Lesson L1 (Pika): an apply slower than the link timeout, a dropped link and a reconnect must not make the
/// slave apply anything twice. Non-idempotent writes (INCR, APPEND) expose a duplicate. With the unsafe
/// legacy first-ack switch the same scenario must be caught duplicating.
/// </summary>
public class SlowApplyReconnectTests(ITestOutputHelper output)
{
    private const int Clients = 4;
    private const int WritesPerClient = 600;

    [Fact]
    public async Task SlowApplyBeyondLinkTimeout_ThenReconnect_DoesNotApplyTwice()
    {
        var (masterCounter, slaveCounter, masterDigest, slaveDigest) = await RunAsync(unsafeFirstAck: false);

        Assert.Equal(Clients * WritesPerClient, masterCounter);
        Assert.Equal(masterCounter, slaveCounter);
        Assert.Equal(masterDigest, slaveDigest);
    }

    [Fact]
    public async Task SlowApplyBeyondLinkTimeout_WithUnsafeFirstAck_IsCaughtApplyingTwice()
    {
        var (masterCounter, slaveCounter, masterDigest, slaveDigest) = await RunAsync(unsafeFirstAck: true);

        Assert.Equal(Clients * WritesPerClient, masterCounter);
        Assert.True(slaveCounter > masterCounter, $"expected the unsafe first ack to duplicate INCRs: master {masterCounter}, slave {slaveCounter}");
        Assert.NotEqual(masterDigest, slaveDigest);
    }

    private async Task<(long MasterCounter, long SlaveCounter, string MasterDigest, string SlaveDigest)> RunAsync(bool unsafeFirstAck)
    {
        var cluster = new ClusterConfig
        {
            LinkTimeoutSeconds = 1,
            Extra = new()
            {
                ["ReplDash__Faults__Enabled"] = "true",
                ["ReplDash__Faults__UnsafeFirstAckWithoutDrain"] = unsafeFirstAck ? "true" : "false",
                ["ReplDash__Replication__SlowApplyMs"] = "500",
            },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);

        // The first item the slave applies will take 4 s, far longer than the 1 s link timeout.
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "SlowApply", count: 1, delayMs: 4000);
        var load = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
            for (int i = 0; i < WritesPerClient; i++)
            {
                Assert.IsType<long>(await client.CallAsync("INCR", "counter"));
                Assert.IsType<long>(await client.CallAsync("APPEND", $"log{c}", "x"));
            }
        })).ToArray();

        // While that apply is in flight (its fault-hit event is recorded) and writes keep coming, the link
        // drops. Our receiver does not share a thread with the applier, so the slow apply alone would not
        // starve the link as it did in Pika: the cut stands for that.
        await Convergence.WaitForEventAsync(app.BaseAddress, "fault-hit", TimeSpan.FromSeconds(30), "s1");
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "CutLink");
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(120));
        await Convergence.WaitForEventAsync(app.BaseAddress, "slow-apply", TimeSpan.FromSeconds(30), "s1");
        await Convergence.WaitForEventAsync(app.BaseAddress, "link-down", TimeSpan.FromSeconds(30), "s1");

        var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(60));
        long masterCounter = long.Parse((await Convergence.GetAsync(cluster.MasterResp, "counter"))!);
        long slaveCounter = long.Parse((await Convergence.GetAsync(cluster.Slave1Resp, "counter"))!);
        output.WriteLine($"unsafe={unsafeFirstAck}: master counter {masterCounter}, slave counter {slaveCounter}");
        return (masterCounter, slaveCounter, masterDigest, slaveDigest);
    }
}
