using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A flipped byte in a binlog segment other than the last, in the range a lagging slave still needs: the master
/// finds it (at start, or when it reads the item for shipping), keeps serving, and the slave gets a full resync
/// and converges after a bounded number of reconnects, instead of reconnecting forever at its position.
/// </summary>
public class DamagedBinlogResyncTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]  // the master restarts: the start-up verification finds the damage
    [InlineData(false)] // the master keeps running: the send loop finds it (BINLOG_DAMAGED on both sides)
    public async Task DamagedNonLastSegment_LaggingSlaveIsFullyResynced_AndConverges(bool restartMaster)
    {
        var cluster = new ClusterConfig
        {
            SemiSync = false,
            Extra = new() { ["ReplDash__Durability__BinlogSegmentBytes"] = "4096" },
        };
        var masterDir = RepositoryPaths.NewTempDirectory("damaged-master");
        var master = await cluster.StartAsync("m1", cluster.MasterResp, masterDir);
        try
        {
            var slaveDir = RepositoryPaths.NewTempDirectory("damaged-slave");
            var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
            await WriteAsync(cluster.MasterResp, "before", 50);
            var (digest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
            Assert.Equal(digest, slaveDigest);
            var slavePosition = ReplicationProbe.ParsePosition((await Convergence.InfoAsync(cluster.Slave1Resp, "replication"))["applied_position"]);
            await slave.StopAsync();
            await slave.DisposeAsync();

            // While the slave is away the master fills several more segments.
            await WriteAsync(cluster.MasterResp, "away", 500);
            var binlogDir = Path.Combine(masterDir, "m1", "binlog");
            long damagedFile = slavePosition.FileNumber + 1;
            Assert.True(BinlogDirectory.ListSegmentNumbers(binlogDir).Max() > damagedFile + 1, "the damaged segment must not be the last");
            var victim = new BinlogReader(binlogDir)
                .Read(new BinlogPosition(damagedFile, 0), new BinlogPosition(damagedFile + 1, 0)).ElementAt(3);
            if (restartMaster)
                await master.StopAsync();
            FileDamage.FlipByte(BinlogDirectory.SegmentPath(binlogDir, damagedFile), victim.Start.Offset + 30);
            if (restartMaster)
            {
                var stopped = master;
                master = await stopped.RestartAsync();
                await stopped.DisposeAsync();
                // Found at start; the master keeps serving and says what is damaged.
                await Convergence.WaitForEventAsync(master.BaseAddress, "binlog-damaged", TimeSpan.FromSeconds(30), "m1",
                    messageContains: $"{BinlogFileNames.SegmentName(damagedFile)} is damaged at offset {victim.Start.Offset}");
                using var http = TestCredentials.Client(master.BaseAddress);
                var node = (await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes")[0];
                Assert.Equal("running", node.GetProperty("state").GetString());
                Assert.Contains($"offset {victim.Start.Offset}", node.GetProperty("binlogDamage").GetString());
            }
            int trySyncsBefore = await ReplicationProbe.CountEventsAsync(master.BaseAddress, "trysync", "m1");

            await using var back = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
            var trySync = await Convergence.WaitForEventAsync(master.BaseAddress, "trysync", TimeSpan.FromSeconds(30), "m1",
                messageContains: "binlog damaged");
            Assert.Contains("FullResync", trySync);
            if (!restartMaster)
            {
                // Shipping stopped with a named error, on both sides, naming the damaged item.
                var masterError = await Convergence.WaitForEventAsync(master.BaseAddress, "link-error", TimeSpan.FromSeconds(30), "m1",
                    messageContains: "BINLOG_DAMAGED");
                Assert.Contains($"{BinlogFileNames.SegmentName(damagedFile)}:{victim.Start.Offset}", masterError);
                await Convergence.WaitForEventAsync(back.BaseAddress, "link-error", TimeSpan.FromSeconds(30), "s1",
                    messageContains: $"BINLOG_DAMAGED: binlog damaged at {BinlogFileNames.SegmentName(damagedFile)}:{victim.Start.Offset}");
            }
            await Convergence.WaitForEventAsync(back.BaseAddress, "full-resync-end", TimeSpan.FromSeconds(30), "s1");
            var (masterDigest, resynced) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
            Assert.Equal(masterDigest, resynced);
            // Bounded: at most the TrySync that met the damage and the one answered with the full resync.
            int trySyncs = await ReplicationProbe.CountEventsAsync(master.BaseAddress, "trysync", "m1") - trySyncsBefore;
            Assert.InRange(trySyncs, 1, restartMaster ? 1 : 2);
        }
        finally
        {
            await master.DisposeAsync();
        }
    }

    [Fact]
    public async Task DamagedRelaySegment_StillToReplay_IsQuarantined_AndFetchedAgain()
    {
        var cluster = new ClusterConfig
        {
            SemiSync = false,
            // The slave never checkpoints during the test: after a kill it must replay its whole relay log.
            Extra = new()
            {
                ["ReplDash__Durability__BinlogSegmentBytes"] = "4096",
                ["ReplDash__Durability__CheckpointIntervalMs"] = "600000",
            },
        };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var slaveDir = RepositoryPaths.NewTempDirectory("damaged-relay");
        var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        await WriteAsync(cluster.MasterResp, "k", 400);
        var (digest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(digest, slaveDigest);
        await slave.KillAsync();
        await slave.DisposeAsync();

        var relayDir = Path.Combine(slaveDir, "s1", "relay");
        Assert.True(BinlogDirectory.ListSegmentNumbers(relayDir).Max() > 2, "the damaged relay segment must not be the last");
        var victim = new BinlogReader(relayDir).Read(new BinlogPosition(2, 0), new BinlogPosition(3, 0)).ElementAt(2);
        FileDamage.FlipByte(BinlogDirectory.SegmentPath(relayDir, 2), victim.Start.Offset + 30);
        var damagedBytes = File.ReadAllBytes(BinlogDirectory.SegmentPath(relayDir, 2));

        await using var back = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        await Convergence.WaitForEventAsync(back.BaseAddress, "relay-damaged-quarantined", TimeSpan.FromSeconds(30), "s1");
        var moved = Assert.Single(Directory.GetFiles(Path.Combine(slaveDir, "s1", "quarantine"), "binlog.000002.*.damaged"));
        Assert.Equal(damagedBytes, File.ReadAllBytes(moved)); // moved whole, not destroyed
        var (masterDigest, refetched) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(masterDigest, refetched);
    }

    private static async Task WriteAsync(int port, string prefix, int count)
    {
        using var client = await RespTestClient.ConnectAsync(port);
        for (int i = 0; i < count; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"{prefix}:{i}", $"value-{i}"));
    }
}
