using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// SORT ... STORE replicates the list it computed (DEL + RPUSH), not the command: a slave whose own keys differ stores
/// the master's result, and once its keys agree again the digests are equal. Slaves refuse SORT (a write command in
/// Redis) and serve SORT_RO.
/// </summary>
public class SortReplicationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SortStore_ReachesBothSlavesAsItsResult_WithEqualDigests()
    {
        var (cluster, app) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = { ["ReplDash__Faults__Enabled"] = "true" } }, "m1,s1,s2", c => c.MasterResp);
        await using var _ = app;
        using var master = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var slave1 = await RespTestClient.ConnectAsync(cluster.Slave1Resp);
        Assert.Equal(3L, await master.CallAsync("RPUSH", "sort:l", "1", "2", "3"));
        Assert.Equal("OK", await master.CallAsync("MSET", "sort:w_1", "30", "sort:w_2", "20", "sort:w_3", "10"));
        Assert.Equal(1L, await master.CallAsync("HSET", "sort:h_2", "name", "two"));
        Assert.Equal("OK", await master.CallAsync("SET", "sort:dst", "replaced"));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);

        // s1 weighs element 1 differently, behind replication's back: were SORT replicated as a command, s1 would
        // compute [1, 3, 2] from its own weights.
        Assert.Equal("OK", await slave1.CallAsync("DEBUG", "SET-LOCAL", "sort:w_1", "15"));
        Assert.Equal(6L, await master.CallAsync("SORT", "sort:l", "BY", "sort:w_*", "GET", "#", "GET", "sort:h_*->name", "STORE", "sort:dst"));
        string[] expected = ["3", "", "2", "two", "1", ""];
        Assert.Equal(expected, await RangeAsync(master));
        await Poll.UntilAsync(async () => (await RangeAsync(slave1)).Length == 6, "the stored list to reach s1");
        Assert.Equal(expected, await RangeAsync(slave1));

        Assert.Equal("OK", await slave1.CallAsync("DEBUG", "SET-LOCAL", "sort:w_1", "30"));
        foreach (int slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
        {
            var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, CatchUp);
            output.WriteLine($"master {masterDigest}, slave :{slave} {slaveDigest}");
            Assert.Equal(masterDigest, slaveDigest);
        }

        var readOnly = new RespError("READONLY You can't write against a read only replica.");
        Assert.Equal(readOnly, await slave1.CallAsync("SORT", "sort:l", "STORE", "sort:other"));
        Assert.Equal(readOnly, await slave1.CallAsync("SORT", "sort:l"));
        var sorted = Assert.IsType<object?[]>(await slave1.CallAsync("SORT_RO", "sort:l", "BY", "sort:w_*", "DESC"));
        Assert.Equal(["1", "2", "3"], sorted.Select(RespTestClient.Text));
    }

    private static async Task<string[]> RangeAsync(RespTestClient client) =>
        (await client.CallAsync("LRANGE", "sort:dst", "0", "-1")) is object?[] items ? items.Select(i => RespTestClient.Text(i)!).ToArray() : [];
}
