using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>Slaves reach exactly the master's data: embedded in one process, and as separate processes.</summary>
public class ConvergenceTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EmbeddedCluster_UnderRedisBenchmark_SlavesMatchTheMaster()
    {
        var cluster = new ClusterConfig();
        await using var app = await cluster.StartAsync("m1,s1,s2", cluster.MasterResp);

        var (exit, _, stderr) = await RedisCli.RunToolAsync("redis-benchmark",
            ["-p", cluster.MasterResp.ToString(), "-t", "set,incr,lpush,hset,mset", "-n", "20000", "-r", "5000", "-c", "20", "-q"]);
        Assert.True(exit == 0, stderr);

        foreach (var slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
        {
            var (master, replica) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, CatchUp);
            Assert.Equal(master, replica);
            Assert.NotEqual(new string('0', 40), master);
            var masterInfo = await Convergence.InfoAsync(cluster.MasterResp, "replication");
            var slaveInfo = await Convergence.InfoAsync(slave, "replication");
            Assert.Equal(masterInfo["master_repl_offset"], slaveInfo["slave_repl_offset"]);
            Assert.Equal("up", slaveInfo["master_link_status"]);
        }
        Assert.Equal("2", (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["connected_slaves"]);
        using var readOnly = await RespTestClient.ConnectAsync(cluster.Slave1Resp);
        Assert.Equal(new RespError("READONLY You can't write against a read only replica."), await readOnly.CallAsync("SET", "k", "v"));
    }

    [Fact]
    public async Task MasterAndSlaveInSeparateProcesses_Converge()
    {
        var cluster = new ClusterConfig();
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp);
        Assert.NotEqual(master.ProcessId, slave.ProcessId);

        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            for (int i = 0; i < 500; i++)
            {
                Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", $"v{i}"));
                Assert.IsType<long>(await client.CallAsync("INCR", "counter"));
                Assert.IsType<long>(await client.CallAsync("APPEND", "log", "x"));
            }
        }

        var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        Assert.Equal(masterDigest, slaveDigest);
        Assert.Equal("500", await Convergence.GetAsync(cluster.Slave1Resp, "counter"));
        Assert.Equal(500, (await Convergence.GetAsync(cluster.Slave1Resp, "log"))!.Length);
    }
}
