using System.Text.Json;
using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// A run keeps several digest markers in flight (ReplDash:Consistency:ChunksInFlight): it must still find injected
/// differences exactly, both directions and on both slaves, and write no new marker while a slave lags beyond
/// MaxLagBytes, then go on once the slave catches up.
/// </summary>
public class CheckPipelineTests
{
    [Fact]
    public async Task SeveralChunksInFlight_FindTheDifferencesExactly_AndPauseWhileASlaveLags()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig
            {
                Extra =
                {
                    ["ReplDash__Faults__Enabled"] = "true",
                    // 512 chunks of 8 buckets, four in flight; a slave holding back its acks lags past 2 KiB after a few
                    // dozen markers (each marker is about 80 bytes of binlog), in the middle of the run.
                    ["ReplDash__Consistency__ChunksInFlight"] = "4",
                    ["ReplDash__Consistency__InitialChunkBuckets"] = "8",
                    ["ReplDash__Consistency__MaxChunkBuckets"] = "8",
                    ["ReplDash__Consistency__MaxLagBytes"] = "2048",
                },
            },
            "m1,s1,s2", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);

        using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
            for (int i = 0; i < 1000; i++)
                Assert.Equal("OK", await master.CallAsync("SET", $"key:{i}", $"value-{i}"));
        foreach (int slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
            await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, ChecksApi.Deadline);
        using (var s1 = await RespTestClient.ConnectAsync(cluster.Slave1Resp))
        {
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "key:10", "changed"));
            Assert.Equal(1L, await s1.CallAsync("DEBUG", "DEL-LOCAL", "key:20"));
        }
        using (var s2 = await RespTestClient.ConnectAsync(cluster.Slave2Resp))
            Assert.Equal("OK", await s2.CallAsync("DEBUG", "SET-LOCAL", "only-on-s2", "extra"));

        // s1 stops acknowledging: the markers themselves make its lag grow past the limit.
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        long runId = await ChecksApi.StartAsync(http);
        JsonElement paused = default;
        await Poll.UntilAsync(async () =>
        {
            paused = await ChecksApi.ShowAsync(http, runId);
            return Phase(paused) == "paused" || paused.GetProperty("status").GetString() != "running";
        }, "the check to pause for s1's lag", ChecksApi.Deadline, async () => (await ChecksApi.ShowAsync(http, runId)).ToString());
        Assert.Equal("running", paused.GetProperty("status").GetString());
        // The live progress (the stored run is saved at most every second).
        int bucketsAtPause = LiveBucketsDone(paused);
        Assert.InRange(bucketsAtPause, 8, 4000);

        // Replication goes on meanwhile (s2 takes a write); the paused run finishes no chunk.
        using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
            Assert.Equal("OK", await master.CallAsync("SET", "key:500", "rewritten"));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, ChecksApi.Deadline);
        var stillPaused = await ChecksApi.ShowAsync(http, runId);
        Assert.Equal("paused", Phase(stillPaused));
        Assert.Equal(bucketsAtPause, LiveBucketsDone(stillPaused));

        await Convergence.ClearFaultsAsync(app.BaseAddress);
        var run = await ChecksApi.WaitDoneAsync(http, runId);

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(
            new List<(string, string, string)>
            {
                ("s1", "key:10", "Value"),
                ("s1", "key:20", "MissingOnSlave"),
                ("s2", "only-on-s2", "MissingOnMaster"),
            },
            ChecksApi.Findings(run));
        Assert.Equal(4096, BucketsDone(run));
        // At most 8 buckets a chunk (fewer when a capture overran ChunkTargetMs on this loaded machine).
        Assert.True(run.GetProperty("run").GetProperty("chunksDone").GetInt32() >= 512);
        Assert.Equal(1000, run.GetProperty("run").GetProperty("keysCompared").GetInt64());
        Assert.Equal(3, run.GetProperty("run").GetProperty("differingChunks").GetInt32());
    }

    private static string? Phase(JsonElement shown) =>
        shown.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object ? progress.GetProperty("phase").GetString() : null;

    private static int LiveBucketsDone(JsonElement shown) => shown.GetProperty("progress").GetProperty("bucketsDone").GetInt32();

    private static int BucketsDone(JsonElement shown) => shown.GetProperty("run").GetProperty("bucketsDone").GetInt32();
}
