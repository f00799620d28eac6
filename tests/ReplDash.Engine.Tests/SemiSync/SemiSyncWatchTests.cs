using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L4 for WATCH: an EXEC aborted by another client's write reveals that write (its null reply says the key
/// changed), so under AfterSync that reply is held until the write is acknowledged, like a read of the key.
/// </summary>
public class SemiSyncWatchTests
{
    [Fact]
    public async Task ANullExec_CausedByAnUnacknowledgedWrite_IsHeldUntilTheAck()
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000, // the wait must end by the ack, never by the timeout
            Extra = new() { ["ReplDash__Faults__Enabled"] = "true" },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var writer = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var watcher = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await writer.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_point", "AFTER_SYNC"));
        Assert.Equal("OK", await writer.CallAsync("SET", "k", "old"));
        await SemiSyncInfo.StatusAsync(cluster.MasterResp, on: true);
        Assert.Equal("OK", await watcher.CallAsync("WATCH", "k"));

        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await writer.SendAsync("SET", "k", "new");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp); // the SET ran and waits for its ack

        Assert.Equal("OK", await watcher.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await watcher.CallAsync("SET", "k", "mine"));
        await watcher.SendAsync("EXEC");
        var exec = Task.Run(watcher.ReadReply);
        Assert.False(await CompletesWithinAsync(exec, TimeSpan.FromSeconds(2)), "EXEC answered while the write that aborted it was unacknowledged");

        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal("OK", writer.ReadReply());
        Assert.Null(await exec);
        Assert.Equal("new", await Convergence.GetAsync(cluster.MasterResp, "k"));
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan limit) => await Task.WhenAny(task, Task.Delay(limit)) == task;
}
