using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A mixed sorted-set load (every write form, blocking pops served by other connections) converges to equal
/// digests on both slaves, also after a slave is killed and restarted and after a full resync; slaves refuse
/// sorted-set writes with READONLY and serve reads.
/// </summary>
public class ZSetReplicationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    private static async Task RunLoadAsync(int port, int seed, int commands)
    {
        var random = new Random(seed);
        using var client = await RespTestClient.ConnectAsync(port);
        using var blocked = await RespTestClient.ConnectAsync(port);
        for (int i = 0; i < commands; i++)
        {
            string k = "rz" + random.Next(5), k2 = "rz" + random.Next(5), m = "m" + random.Next(30);
            string s = (random.Next(-100, 100) / 7.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            string[] command = random.Next(16) switch
            {
                0 or 1 or 2 => ["ZADD", k, s, m, s, "m" + random.Next(30)],
                3 => ["ZADD", k, random.Next(2) == 0 ? "GT" : "LT", "CH", s, m],
                4 => ["ZADD", k, "INCR", s, m],
                5 => ["ZINCRBY", k, "0.1", m],
                6 => ["ZREM", k, m],
                7 => ["ZPOPMIN", k, random.Next(1, 3).ToString()],
                8 => ["ZPOPMAX", k],
                9 => ["ZREMRANGEBYSCORE", k, "-inf", "(" + s],
                10 => ["ZREMRANGEBYRANK", k, "0", "0"],
                11 => ["ZUNIONSTORE", "rz" + random.Next(5, 7), "2", k, k2, "WEIGHTS", "1", "3", "AGGREGATE", random.Next(2) == 0 ? "MIN" : "SUM"],
                12 => ["ZINTERSTORE", "rz" + random.Next(5, 7), "2", k, k2],
                13 => ["ZDIFFSTORE", "rz" + random.Next(5, 7), "2", k, k2],
                14 => ["ZRANGESTORE", "rz" + random.Next(5, 7), k, "0", "4", "REV"],
                _ => ["ZREMRANGEBYLEX", k, "[m1", "(m2"],
            };
            Assert.IsNotType<RespError>(await client.CallAsync(command));
            if (i % 200 == 100)
            {
                // A pop served by another connection's write is replicated like any other.
                await blocked.SendAsync("BZPOPMIN", "rz:wait", "0");
                await Poll.UntilAsync(async () => (await Convergence.InfoAsync(port, "clients"))["blocked_clients"] == "1", "the pop to block");
                Assert.Equal(1L, await client.CallAsync("ZADD", "rz:wait", s, "w" + i));
                Assert.Equal("rz:wait", RespTestClient.Text(Assert.IsType<object?[]>(blocked.ReadReply())[0]));
            }
        }
    }

    private async Task AssertConvergedAsync(ClusterConfig cluster, string when)
    {
        foreach (var slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
        {
            var (master, replica) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, CatchUp);
            output.WriteLine($"{when}: master {master}, slave :{slave} {replica}");
            Assert.Equal(master, replica);
            Assert.NotEqual(new string('0', 40), master);
        }
    }

    [Fact]
    public async Task MixedZSetLoad_ConvergesOnBothSlaves_AlsoAfterASlaveRestart()
    {
        var cluster = new ClusterConfig();
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var slave1Dir = RepositoryPaths.NewTempDirectory("zset-s1");
        var slave1 = await cluster.StartAsync("s1", cluster.Slave1Resp, slave1Dir);
        await using var slave2 = await cluster.StartAsync("s2", cluster.Slave2Resp);
        try
        {
            await RunLoadAsync(cluster.MasterResp, seed: 1, commands: 1500);
            await AssertConvergedAsync(cluster, "after the first load");

            using (var readOnly = await RespTestClient.ConnectAsync(cluster.Slave1Resp))
            {
                var refused = new RespError("READONLY You can't write against a read only replica.");
                Assert.Equal(refused, await readOnly.CallAsync("ZADD", "rz0", "1", "x"));
                Assert.Equal(refused, await readOnly.CallAsync("ZPOPMIN", "rz0"));
                Assert.Equal(refused, await readOnly.CallAsync("BZPOPMIN", "rz0", "0"));
                Assert.Equal(refused, await readOnly.CallAsync("ZUNIONSTORE", "d", "1", "rz0"));
                Assert.IsType<long>(await readOnly.CallAsync("ZCARD", "rz0"));
            }

            // The slave is killed (SIGKILL) mid-load and restarted on its data; it must catch up exactly.
            var during = RunLoadAsync(cluster.MasterResp, seed: 2, commands: 1500);
            await Poll.UntilAsync(async () => (await Convergence.InfoAsync(cluster.MasterResp, "stats"))["total_commands_processed"] != "0", "load");
            await slave1.KillAsync();
            await slave1.DisposeAsync();
            await during;
            slave1 = await cluster.StartAsync("s1", cluster.Slave1Resp, slave1Dir);
            await AssertConvergedAsync(cluster, "after the slave restart");
        }
        finally
        {
            await slave1.DisposeAsync();
        }
    }

    [Fact]
    public async Task ZSets_ArriveExactly_ByAnOperatorFullResync()
    {
        var cluster = new ClusterConfig();
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        await using var slave1 = await cluster.StartAsync("s1", cluster.Slave1Resp);
        await using var slave2 = await cluster.StartAsync("s2", cluster.Slave2Resp);
        await RunLoadAsync(cluster.MasterResp, seed: 3, commands: 800);
        await AssertConvergedAsync(cluster, "before the resync");

        // s1 drops its data and loads the master's snapshot (ExportAll, the codec) instead of replaying the binlog.
        using var http = TestCredentials.Client(slave1.BaseAddress);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.PostAsync("api/nodes/s1/resync", null)).StatusCode);
        await Convergence.WaitForEventAsync(slave1.BaseAddress, "full-resync-end", CatchUp, "s1");
        await RunLoadAsync(cluster.MasterResp, seed: 4, commands: 300);
        await AssertConvergedAsync(cluster, "after the resync");
    }
}
