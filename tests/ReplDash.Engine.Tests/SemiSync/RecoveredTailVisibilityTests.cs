using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L4 after a crash, with master and slave in separate processes: a SET that waits for its ack (the slave is
/// down) is durable on the master when the master is killed (SIGKILL). The restarted master recovers it from its binlog;
/// no client may read it until a slave acknowledges it, then every client must. With the unsafe switch
/// (<c>Faults:UnsafeRecoveredTailVisible</c>, the old rule: the recovered binlog counts as committed) a reader sees it
/// while no slave holds it, which shows the test catches that.
/// </summary>
public class RecoveredTailVisibilityTests
{
    /// <summary>A reader that gets no answer within this long counts as waiting (a bound on a negative observation,
    /// not a synchronisation: with the unsafe rule the answer comes in milliseconds).</summary>
    private static readonly TimeSpan WaitingWindow = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RestartedMaster_HidesTheRecoveredUnacknowledgedWrite_UntilTheSlaveAcknowledgesIt()
    {
        var seen = await ReadAfterRestartAsync(unsafeTailVisible: false);

        Assert.Null(seen.BeforeSlaveRestart); // the GET was still waiting
        Assert.Null(seen.UntouchedKey); // a key the tail did not write answers at once
        Assert.Equal("new", seen.AfterSlaveAcked);
        Assert.Equal("new", seen.OnTheSlave);
        Assert.Contains("recovered-tail", seen.Events);
    }

    [Fact]
    public async Task RestartedMaster_WithTheUnsafeRecoveredTailVisibleSwitch_IsCaughtShowingTheUnacknowledgedWrite()
    {
        var seen = await ReadAfterRestartAsync(unsafeTailVisible: true);

        Assert.Equal("new", seen.BeforeSlaveRestart); // read while no slave held it
    }

    private sealed record Seen(string? BeforeSlaveRestart, string? UntouchedKey, string? AfterSlaveAcked, string? OnTheSlave, string Events);

    private static async Task<Seen> ReadAfterRestartAsync(bool unsafeTailVisible)
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000, // the wait must end by the slave's ack, never by the timeout
            Extra = new()
            {
                ["ReplDash__Faults__Enabled"] = "true",
                ["ReplDash__Faults__UnsafeRecoveredTailVisible"] = unsafeTailVisible ? "true" : "false",
            },
        };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp);
        ReplDashProcess? restartedMaster = null, restartedSlave = null;
        try
        {
            using (var writer = await RespTestClient.ConnectAsync(cluster.MasterResp))
            {
                await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
                Assert.Equal("OK", await writer.CallAsync("SET", "k", "old")); // acknowledged by s1
                await slave.KillAsync();
                await writer.SendAsync("SET", "k", "new");
                await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp); // durable on m1, waiting for an ack nobody sends
                await master.KillAsync();
            }

            restartedMaster = await master.RestartAsync();
            using var reader = await RespTestClient.ConnectAsync(cluster.MasterResp, TimeSpan.FromSeconds(120));
            var get = Task.Run(async () => RespTestClient.Text(await reader.CallAsync("GET", "k")));
            using var other = await RespTestClient.ConnectAsync(cluster.MasterResp);
            var untouched = RespTestClient.Text(await other.CallAsync("GET", "untouched"));
            string? beforeSlaveRestart = await Task.WhenAny(get, Task.Delay(WaitingWindow)) == get ? await get : null;

            restartedSlave = await slave.RestartAsync();
            var afterAck = await get;
            // The write that became visible is the one s1 now holds (it applies what it acknowledged).
            string? onSlave = null;
            await Poll.UntilAsync(async () => (onSlave = await Convergence.GetAsync(cluster.Slave1Resp, "k")) == "new", "s1 to apply the recovered write");
            var events = unsafeTailVisible ? "" : await Convergence.WaitForEventAsync(restartedMaster.BaseAddress, "recovered-tail", TimeSpan.FromSeconds(30));
            var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
            if (!unsafeTailVisible)
            {
                Assert.Equal("ON", info["Rpl_semi_sync_master_status"]); // released by the ack, not by a timeout
                Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_times"));
            }
            return new Seen(beforeSlaveRestart, untouched, afterAck, onSlave, events);
        }
        finally
        {
            if (restartedSlave is not null)
                await restartedSlave.DisposeAsync();
            if (restartedMaster is not null)
                await restartedMaster.DisposeAsync();
        }
    }
}
