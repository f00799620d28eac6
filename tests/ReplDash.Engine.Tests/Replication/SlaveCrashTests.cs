using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Lesson L3 (MySQL's crash-unsafe replica): the slave process is killed with SIGKILL at random moments under
/// load, many times; after every restart it must reach exactly the master's data, no INCR lost or doubled.
/// With the applied position kept outside the data transaction (unsafe legacy switch) the same test must
/// catch a divergence.
/// </summary>
public class SlaveCrashTests(ITestOutputHelper output)
{
    private const int Kills = 20;

    /// <summary>
    /// Both ways a slave acknowledges: semi-sync asks for every ack at once (the relay log is synced per batch);
    /// asynchronous replication lets the slave coalesce acks and sync its relay log once per ack.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SlaveKilledTwentyTimesUnderLoad_AlwaysConvergesExactly(bool semiSync)
    {
        var divergedAt = await RunAsync(unsafePosition: false, semiSync);
        Assert.Null(divergedAt);
    }

    [Fact]
    public async Task SlaveKilledUnderLoad_WithAppliedPositionOutsideTheData_IsCaughtDiverging()
    {
        var divergedAt = await RunAsync(unsafePosition: true, semiSync: true);
        Assert.NotNull(divergedAt);
    }

    /// <summary>Returns the kill after which the slave diverged, or null when it always converged.</summary>
    private async Task<int?> RunAsync(bool unsafePosition, bool semiSync)
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}, unsafe={unsafePosition}, semi-sync={semiSync}");
        var cluster = new ClusterConfig
        {
            SemiSync = semiSync,
            Extra = new()
            {
                ["ReplDash__Faults__Enabled"] = unsafePosition ? "true" : "false",
                ["ReplDash__Faults__UnsafeAppliedPositionOutsideData"] = unsafePosition ? "true" : "false",
                ["ReplDash__Durability__CheckpointIntervalMs"] = "100",
            },
        };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var slaveDir = RepositoryPaths.NewTempDirectory("crash-slave");
        var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);
        await using var load = new PausableLoad(cluster.MasterResp, clients: 3);
        try
        {
            for (int kill = 1; kill <= Kills; kill++)
            {
                load.Resume();
                await load.WaitForProgressAsync(random.Next(50, 400)); // a random moment, counted in acknowledged writes
                await slave.KillAsync();
                await slave.DisposeAsync();
                slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);

                await load.PauseAsync();
                var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, TimeSpan.FromSeconds(60));
                var masterCounter = await Convergence.GetAsync(cluster.MasterResp, "counter");
                var slaveCounter = await Convergence.GetAsync(cluster.Slave1Resp, "counter");
                output.WriteLine($"kill {kill}: master counter {masterCounter}, slave counter {slaveCounter}");
                if (masterDigest != slaveDigest || masterCounter != slaveCounter)
                {
                    output.WriteLine($"seed {seed}: diverged after kill {kill}");
                    return kill;
                }
                Assert.Equal(load.Acknowledged.ToString(), masterCounter);
            }
            return null;
        }
        finally
        {
            await slave.DisposeAsync();
        }
    }
}
