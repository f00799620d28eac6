using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>Full resync: when a slave's position was purged, and when the slave crashes in the middle of one.</summary>
public class FullResyncTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SlaveAwayWhileItsPositionIsPurged_GetsAFullResyncAndConverges()
    {
        var cluster = new ClusterConfig
        {
            Extra = new()
            {
                ["ReplDash__Durability__BinlogSegmentBytes"] = "4096",
                ["ReplDash__Durability__BinlogRetentionBytes"] = "16384",
            },
        };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var slaveDir = RepositoryPaths.NewTempDirectory("purged-slave");
        var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        await WriteAsync(cluster.MasterResp, "before", 200);
        var (digest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(digest, slaveDigest);
        await slave.StopAsync();
        await slave.DisposeAsync();

        // While the slave is away the master writes far more than it retains, so the slave's position goes.
        await WriteAsync(cluster.MasterResp, "away", 2000);
        await Convergence.WaitForEventAsync(master.BaseAddress, "binlog-purged", TimeSpan.FromSeconds(30), "m1");

        await using var back = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        // The returning slave's TrySync is answered with a full resync because its position is purged.
        var trySync = await Convergence.WaitForEventAsync(master.BaseAddress, "trysync", TimeSpan.FromSeconds(30), "m1", messageContains: "is purged");
        Assert.Contains("FullResync", trySync);
        await Convergence.WaitForEventAsync(back.BaseAddress, "full-resync-end", TimeSpan.FromSeconds(30), "s1");
        var (masterDigest, resynced) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(masterDigest, resynced);

        // The slave's status tells the master decided it, and why, and that it ran to the end.
        using var http = TestCredentials.Client(back.BaseAddress);
        System.Text.Json.JsonElement progress = default;
        await Poll.UntilAsync(async () => await ResyncProgressApiTests.ResyncOfAsync(http) is { } r
            && (progress = r).GetProperty("phase").GetString() == "completed", "s1's resync completed", CatchUp, () => Task.FromResult(progress.ToString()));
        Assert.StartsWith("master: ", progress.GetProperty("trigger").GetString());
        Assert.Contains("purged", progress.GetProperty("trigger").GetString());
        Assert.Equal(2200, progress.GetProperty("keysTotal").GetInt64());
        Assert.Equal(2200, progress.GetProperty("keysReceived").GetInt64());
    }

    [Fact]
    public async Task SlaveCrashDuringSnapshotLoad_NeverUsesAHalfLoadedSnapshot()
    {
        var cluster = new ClusterConfig { Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        // Several snapshot chunks' worth (chunks are about 1 MiB).
        await WriteAsync(cluster.MasterResp, "big", 4000, valueBytes: 1000);
        var slaveDir = RepositoryPaths.NewTempDirectory("crash-resync");
        var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        var (digest, before) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(digest, before);

        await Convergence.ArmFaultAsync(slave.BaseAddress, "s1", "CrashDuringSnapshotLoad");
        using (var http = TestCredentials.Client(slave.BaseAddress))
            Assert.True((await http.PostAsync("api/nodes/s1/resync", null)).IsSuccessStatusCode);
        await slave.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(slaveDir, "s1"), "store.db.loading*"));
        await slave.DisposeAsync();

        await using var restarted = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        await Convergence.WaitForEventAsync(restarted.BaseAddress, "full-resync-discarded", TimeSpan.FromSeconds(30), "s1");
        Assert.Empty(Directory.GetFiles(Path.Combine(slaveDir, "s1"), "store.db.loading*"));
        var (masterDigest, after) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(masterDigest, after);
        Assert.Equal(digest, masterDigest); // nothing was written meanwhile: the slave kept exactly the old, whole data
    }

    private static async Task WriteAsync(int port, string prefix, int count, int valueBytes = 20)
    {
        using var client = await RespTestClient.ConnectAsync(port);
        var value = new string('v', valueBytes);
        for (int i = 0; i < count; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"{prefix}:{i}", value));
    }
}
