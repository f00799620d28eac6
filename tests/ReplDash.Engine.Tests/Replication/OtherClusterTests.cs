using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Engine.Core.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A slave that holds another cluster's data is refused at the handshake, keeps its data and waits for an operator:
/// two clusters can both have a master named m1 whose transaction m1:10 means different writes, so positions and
/// transaction ids alone cannot tell them apart (issue 15, "a slave of another cluster is refused").
/// </summary>
public class OtherClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SlaveOfAnotherCluster_IsRefusedAndKeepsItsData_UntilAnOperatorAsksForAResync()
    {
        var cluster = new ClusterConfig { SemiSync = false };
        var slaveDir = RepositoryPaths.NewTempDirectory("other-cluster-s1");

        // s1 follows a first m1 (cluster A) and adopts its cluster id.
        string clusterA, digestA;
        await using (var first = await cluster.StartAsync("m1", cluster.MasterResp))
        {
            await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
            await WriteAsync(cluster.MasterResp, "a", 10);
            var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
            Assert.Equal(masterDigest, slaveDigest);
            digestA = slaveDigest;
            clusterA = await ClusterIdAsync(cluster.MasterResp);
            Assert.Equal(clusterA, await ClusterIdAsync(cluster.Slave1Resp));
            Assert.Equal(clusterA, File.ReadAllText(Path.Combine(slaveDir, "s1", "cluster-id")).Trim());
            await Convergence.WaitForEventAsync(slave.BaseAddress, "cluster-id-adopted", Deadline, "s1", clusterA);
            await slave.StopAsync();
            await first.StopAsync();
        }

        // A new m1 on the same ports with an empty data folder is another cluster (B), with a history of its own
        // that looks like A's: m1:1, m1:2...
        await using var second = await cluster.StartAsync("m1", cluster.MasterResp);
        await WriteAsync(cluster.MasterResp, "b", 3);
        string clusterB = await ClusterIdAsync(cluster.MasterResp);
        Assert.NotEqual(clusterA, clusterB);
        await using var stranger = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);

        var masterSide = await Convergence.WaitForEventAsync(second.BaseAddress, "history-diverged", Deadline, "m1", clusterA);
        Assert.Contains(clusterB, masterSide);
        Assert.Contains("s1", masterSide);
        var slaveSide = await Convergence.WaitForEventAsync(stranger.BaseAddress, "history-diverged", Deadline, "s1", "keeps its data");
        Assert.Contains(ReplicationErrorCodes.ClusterMismatch, slaveSide);
        await Poll.UntilAsync(async () => (await LinkStateAsync(stranger.BaseAddress)) == "diverged", "s1's link to stop as diverged", Deadline);

        // Nothing of B reached s1, and it does not knock again: the one refusal stays the only one while it waits.
        Assert.Equal(digestA, await Convergence.DigestAsync(cluster.Slave1Resp));
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(second.BaseAddress, "trysync", "m1"));
        await Task.Delay(TimeSpan.FromSeconds(3)); // several reconnect backoffs: a retry would show as a second refusal
        Assert.Equal(1, await ReplicationProbe.CountEventsAsync(second.BaseAddress, "history-diverged", "m1"));
        Assert.Equal(clusterA, await ClusterIdAsync(cluster.Slave1Resp));

        // The operator chooses B: a full resync replaces s1's data, and s1 now belongs to B.
        using (var http = new HttpClient { BaseAddress = stranger.BaseAddress })
            Assert.True((await http.PostAsync("api/nodes/s1/resync", null)).IsSuccessStatusCode);
        await Convergence.WaitForEventAsync(stranger.BaseAddress, "full-resync-end", Deadline, "s1");
        var (digestB, resynced) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(digestB, resynced);
        Assert.Null(await Convergence.GetAsync(cluster.Slave1Resp, "a:0"));
        Assert.Equal("v1", await Convergence.GetAsync(cluster.Slave1Resp, "b:1"));
        await Convergence.WaitForEventAsync(stranger.BaseAddress, "cluster-id-adopted", Deadline, "s1", "after a full resync");
        Assert.Equal(clusterB, await ClusterIdAsync(cluster.Slave1Resp));
        Assert.Equal(clusterB, File.ReadAllText(Path.Combine(slaveDir, "s1", "cluster-id")).Trim());
    }

    private static async Task<string> ClusterIdAsync(int respPort) =>
        (await Convergence.InfoAsync(respPort, "replication"))["cluster_id"];

    private static async Task<string?> LinkStateAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var cluster = await http.GetFromJsonAsync<JsonElement>("api/cluster");
        return cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "s1")
            .GetProperty("link").GetProperty("linkState").GetString();
    }

    private static async Task WriteAsync(int port, string prefix, int count)
    {
        using var client = await RespTestClient.ConnectAsync(port);
        for (int i = 0; i < count; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"{prefix}:{i}", $"v{i}"));
    }
}
