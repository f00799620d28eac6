using ReplDash.Testing;
using ReplDash.Web.Tests.Browser;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// Issue 13, test 2: a check while redis-benchmark writes at full speed reports no difference, because every node
/// digests each chunk at the same binlog position, however far behind a slave is: with every chunk in flight it may
/// (BusySharePercent 100), and while giving way to the writes (one chunk in flight, rests between chunks).
/// </summary>
public class CheckUnderLoadTests
{
    [Theory]
    [InlineData(100, 16)]
    [InlineData(50, 64)]
    public async Task CheckDuringFullSpeedWrites_ReportsNoDifference(int busySharePercent, int maxChunkBuckets)
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig
            {
                // Writes as fast as this machine takes them (no fsync per group, no wait for acks), so that many land
                // between a marker and the slaves' answers to it; small chunks: many markers among the writes.
                SemiSync = false,
                Extra =
                {
                    ["ReplDash__Consistency__MaxChunkBuckets"] = maxChunkBuckets.ToString(),
                    ["ReplDash__Consistency__BusySharePercent"] = busySharePercent.ToString(),
                    ["ReplDash__Durability__SyncBinlog"] = "0",
                    ["ReplDash__Durability__SyncRelayLog"] = "0",
                },
            },
            "m1,s1,s2", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);

        // SETs create keys; INCRs change values of existing keys: a digest taken at another moment than the marker's
        // would see both (one benchmark's SETs alone write one fixed value, so they would hide a changed value).
        await using var load = BenchmarkLoad.Start(cluster.MasterResp);
        await using var increments = BenchmarkLoad.Start(cluster.MasterResp, "INCR", "counter:__rand_int__");
        await Poll.UntilAsync(async () => long.Parse(await RedisCli.RunAsync(cluster.MasterResp, "DBSIZE")) > 1000, "the benchmark to write keys",
            describe: async () => $"DBSIZE {await RedisCli.RunAsync(cluster.MasterResp, "DBSIZE")}, benchmark running: {load.IsRunning}\n{app.Output}");

        long runId = await ChecksApi.StartAsync(http);
        var run = await ChecksApi.WaitDoneAsync(http, runId);
        Assert.True(load.IsRunning && increments.IsRunning, "redis-benchmark stopped before the check ended");

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Empty(ChecksApi.Findings(run));
        Assert.True(run.GetProperty("run").GetProperty("chunksDone").GetInt32() >= 4096 / maxChunkBuckets);
        Assert.True(run.GetProperty("run").GetProperty("keysCompared").GetInt64() > 1000);
        Assert.Equal(new[] { "s1", "s2" }, run.GetProperty("run").GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
    }
}
