using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Numbered databases across replication, with one node per process: writes in several databases, a MULTI across
/// databases, SWAPDB, MOVE, FLUSHDB and active expiry reach both slaves (equal DEBUG DIGEST, the same keys in the same
/// databases), also after a slave is killed with SIGKILL and restarted and after a full resync.
/// </summary>
public class DatabaseReplicationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);
    private static readonly string Empty = new('0', 40);

    [Fact]
    public async Task WritesInSeveralDatabases_ConvergeOnBothSlaves_AcrossASlaveKillAndAFullResync()
    {
        var cluster = new ClusterConfig { Extra = new() { ["ReplDash__Durability__CheckpointIntervalMs"] = "100" } };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var s1Dir = RepositoryPaths.NewTempDirectory("db-s1");
        var s1 = await cluster.StartAsync("s1", cluster.Slave1Resp, s1Dir);
        await using var s2 = await cluster.StartAsync("s2", cluster.Slave2Resp);
        try
        {
            using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                await Expect(client, "OK", "SELECT", "1");
                await Expect(client, "OK", "SET", "a", "one");
                await Expect(client, "1", "HSET", "h", "f", "v");
                await Expect(client, "OK", "SELECT", "3");
                await Expect(client, "2", "RPUSH", "l", "x", "y");
                await Expect(client, "OK", "SET", "ttl", "v", "PX", "600000");
                // One transaction across databases; the connection stays in the database its last SELECT chose.
                await Expect(client, "OK", "MULTI");
                foreach (var command in new[] { new[] { "SELECT", "5" }, ["INCR", "n"], ["SELECT", "0"], ["INCR", "n"], ["INCR", "n"] })
                    await Expect(client, "QUEUED", command);
                var exec = (object?[])(await client.CallAsync("EXEC"))!;
                Assert.Equal(["OK", "1", "OK", "1", "2"], exec.Select(RespTestClient.Text));
                await Expect(client, "2", "GET", "n");
                await Expect(client, "OK", "SWAPDB", "1", "3");   // db 1: the list; db 3: a and h
                await Expect(client, "OK", "SELECT", "3");
                await Expect(client, "1", "MOVE", "a", "7");
                await Expect(client, "OK", "SELECT", "4");
                await Expect(client, "OK", "SET", "gone", "x");
                await Expect(client, "OK", "FLUSHDB");
                await Expect(client, "OK", "SELECT", "2");
                await Expect(client, "OK", "SET", "short", "x", "PX", "30"); // expired by the master: a DEL in database 2
            }
            await Poll.UntilAsync(async () => await Convergence.InfoAsync(cluster.MasterResp, "keyspace") is var k && !k.ContainsKey("db2"),
                "the master expires the key in database 2", CatchUp);
            string digest = await AssertConvergedAsync(cluster, "after the first writes");
            Assert.NotEqual(Empty, digest);
            await AssertKeysAsync(cluster.Slave2Resp);

            // A slave killed with SIGKILL, more writes in other databases meanwhile, then restarted.
            await s1.KillAsync();
            await s1.DisposeAsync();
            using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                await Expect(client, "OK", "SELECT", "9");
                await Expect(client, "OK", "SET", "while-down", "1");
                await Expect(client, "OK", "SWAPDB", "9", "10");
                await Expect(client, "OK", "SELECT", "10");
                await Expect(client, "1", "MOVE", "while-down", "11");
            }
            s1 = await cluster.StartAsync("s1", cluster.Slave1Resp, s1Dir);
            digest = await AssertConvergedAsync(cluster, "after s1 was killed and restarted");
            Assert.Equal("1", await GetAsync(cluster.Slave1Resp, 11, "while-down"));
            await AssertKeysAsync(cluster.Slave1Resp);

            // A full resync of s2 carries every database.
            using var http = TestCredentials.Client(s2.BaseAddress);
            Assert.True((await http.PostAsync("api/nodes/s2/resync", null)).IsSuccessStatusCode);
            await Convergence.WaitForEventAsync(s2.BaseAddress, "full-resync-end", CatchUp, "s2");
            Assert.Equal(digest, await AssertConvergedAsync(cluster, "after s2's full resync"));
            await AssertKeysAsync(cluster.Slave2Resp);
            // avg_ttl counts down between the two reads (it is exact here): keys and expires must match, and both have a TTL left.
            var masterKeyspace = await Convergence.InfoAsync(cluster.MasterResp, "keyspace");
            var slaveKeyspace = await Convergence.InfoAsync(cluster.Slave2Resp, "keyspace");
            Assert.Equal(WithoutAverageTtl(masterKeyspace), WithoutAverageTtl(slaveKeyspace));
            Assert.All(new[] { masterKeyspace, slaveKeyspace }, info => Assert.Matches(@"^keys=2,expires=1,avg_ttl=[1-9]\d*$", info["db1"]));
        }
        finally
        {
            await s1.DisposeAsync();
        }
    }

    [Fact]
    public async Task KeysInDatabaseThree_SurviveMasterRestarts_FromTheStoreAndFromTheBinlog()
    {
        var cluster = new ClusterConfig
        {
            SemiSync = false,
            Extra = new() { ["ReplDash__Replication__HealWaitMs"] = "0", ["ReplDash__Durability__CheckpointIntervalMs"] = "100" },
        };
        var dir = RepositoryPaths.NewTempDirectory("db-master");
        var master = await cluster.StartAsync("m1", cluster.MasterResp, dir);
        try
        {
            using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                await Expect(client, "OK", "SELECT", "3");
                await Expect(client, "OK", "SET", "k", "three");
                await Expect(client, "2", "SADD", "s", "a", "b");
                await Expect(client, "OK", "SELECT", "0");
                await Expect(client, "OK", "SET", "k", "zero");
            }
            string before = await Convergence.DigestAsync(cluster.MasterResp);
            await master.StopAsync(); // graceful: the store holds everything
            await master.DisposeAsync();
            master = await cluster.StartAsync("m1", cluster.MasterResp, dir);
            Assert.Equal(before, await Convergence.DigestAsync(cluster.MasterResp));
            Assert.Equal("three", await GetAsync(cluster.MasterResp, 3, "k"));

            using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                await Expect(client, "OK", "SELECT", "3");
                await Expect(client, "OK", "SET", "after", "restart");
                await Expect(client, "OK", "SWAPDB", "3", "6");
            }
            before = await Convergence.DigestAsync(cluster.MasterResp);
            await master.KillAsync(); // SIGKILL: what the store lacks comes back from the binlog
            await master.DisposeAsync();
            master = await cluster.StartAsync("m1", cluster.MasterResp, dir);
            Assert.Equal(before, await Convergence.DigestAsync(cluster.MasterResp));
            Assert.Equal("three", await GetAsync(cluster.MasterResp, 6, "k"));
            Assert.Equal("restart", await GetAsync(cluster.MasterResp, 6, "after"));
            Assert.Null(await GetAsync(cluster.MasterResp, 3, "k"));
            Assert.Equal("zero", await GetAsync(cluster.MasterResp, 0, "k"));
        }
        finally
        {
            await master.DisposeAsync();
        }
    }

    [Fact]
    public async Task RedisCli_WithADatabaseNumber_WorksInThatDatabase()
    {
        var cluster = new ClusterConfig { SemiSync = false, Extra = new() { ["ReplDash__Replication__HealWaitMs"] = "0" } };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        Assert.Equal("OK", await RedisCli.RunAsync(cluster.MasterResp, "-n", "3", "SET", "cli", "three"));
        Assert.Equal("three", await RedisCli.RunAsync(cluster.MasterResp, "-n", "3", "GET", "cli"));
        Assert.Equal("", await RedisCli.RunAsync(cluster.MasterResp, "GET", "cli"));
        Assert.Equal("1", await RedisCli.RunAsync(cluster.MasterResp, "-n", "3", "DBSIZE"));
        Assert.Equal("0", await RedisCli.RunAsync(cluster.MasterResp, "DBSIZE"));
        var keyspace = await RedisCli.RunAsync(cluster.MasterResp, "INFO", "keyspace");
        Assert.Contains("db3:keys=1,expires=0,avg_ttl=0", keyspace);
        Assert.DoesNotContain("db0:", keyspace);
        Assert.Equal("ERR DB index is out of range", await RedisCli.RunAsync(cluster.MasterResp, "SELECT", "16"));

        // avg_ttl: the mean time left of database 5's keys with a TTL, 2000 s when just set (exact here; Redis samples).
        Assert.Equal("OK", await RedisCli.RunAsync(cluster.MasterResp, "-n", "5", "SET", "t1", "v", "EX", "1000"));
        Assert.Equal("OK", await RedisCli.RunAsync(cluster.MasterResp, "-n", "5", "SET", "t2", "v", "EX", "3000"));
        Assert.Equal("OK", await RedisCli.RunAsync(cluster.MasterResp, "-n", "5", "SET", "t3", "v"));
        var db5 = (await RedisCli.RunAsync(cluster.MasterResp, "INFO", "keyspace")).Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("db5:"));
        var match = System.Text.RegularExpressions.Regex.Match(db5, @"^db5:keys=3,expires=2,avg_ttl=(\d+)$");
        Assert.True(match.Success, db5);
        Assert.InRange(long.Parse(match.Groups[1].Value), 1_900_000, 2_000_000);
        Assert.Contains("db3:keys=1,expires=0,avg_ttl=0", await RedisCli.RunAsync(cluster.MasterResp, "INFO", "keyspace"));
    }

    private static Dictionary<string, string> WithoutAverageTtl(Dictionary<string, string> keyspace) =>
        keyspace.ToDictionary(kv => kv.Key, kv => System.Text.RegularExpressions.Regex.Replace(kv.Value, ",avg_ttl=\\d+$", ""));

    private async Task<string> AssertConvergedAsync(ClusterConfig cluster, string when)
    {
        var (master, slave1) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        var (_, slave2) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, CatchUp);
        output.WriteLine($"{when}: master {master}, s1 {slave1}, s2 {slave2}");
        Assert.Equal(master, slave1);
        Assert.Equal(master, slave2);
        return master;
    }

    /// <summary>The keys written above, each in the database where SWAPDB and MOVE left it.</summary>
    private static async Task AssertKeysAsync(int port)
    {
        Assert.Equal("one", await GetAsync(port, 7, "a"));
        Assert.Null(await GetAsync(port, 3, "a"));
        Assert.Null(await GetAsync(port, 1, "a"));
        Assert.Equal("2", await GetAsync(port, 0, "n"));
        Assert.Equal("1", await GetAsync(port, 5, "n"));
        Assert.Equal("v", await GetAsync(port, 1, "ttl"));
        using var client = await RespTestClient.ConnectAsync(port);
        await Expect(client, "OK", "SELECT", "3");
        await Expect(client, "v", "HGET", "h", "f");
        await Expect(client, "1", "DBSIZE");
        await Expect(client, "OK", "SELECT", "1");
        Assert.Equal(["x", "y"], ((object?[])(await client.CallAsync("LRANGE", "l", "0", "-1"))!).Select(RespTestClient.Text));
        await Expect(client, "OK", "SELECT", "4");
        await Expect(client, "0", "DBSIZE");
    }

    private static async Task<string?> GetAsync(int port, int database, string key)
    {
        using var client = await RespTestClient.ConnectAsync(port);
        await Expect(client, "OK", "SELECT", database.ToString());
        return RespTestClient.Text(await client.CallAsync("GET", key));
    }

    private static async Task Expect(RespTestClient client, string expected, params string[] command) =>
        Assert.Equal(expected, RespTestClient.Text(await client.CallAsync(command)));
}
