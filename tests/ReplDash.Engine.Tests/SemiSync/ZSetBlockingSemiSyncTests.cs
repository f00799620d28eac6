using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L4 for blocking pops: a BZPOPMIN served by another client's ZADD is a write of its own, so under
/// AfterSync its reply waits for the slave's ack just like the ZADD's; nobody sees either change before then.
/// </summary>
public class ZSetBlockingSemiSyncTests
{
    [Fact]
    public async Task ServedBlockingPop_IsAnsweredOnlyOnceItsWriteIsAcknowledged()
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000, // the wait must end by the ack, never by the timeout
            Extra = new() { ["ReplDash__Faults__Enabled"] = "true" },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var blocked = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var writer = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var reader = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await writer.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_point", "AFTER_SYNC"));
        Assert.Equal("OK", await writer.CallAsync("SET", "warm", "up")); // acknowledged normally
        await SemiSyncInfo.StatusAsync(cluster.MasterResp, on: true);

        await blocked.SendAsync("BZPOPMIN", "held", "0");
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(cluster.MasterResp, "clients"))["blocked_clients"] == "1", "the pop to block");
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await writer.SendAsync("ZADD", "held", "1", "a", "2", "b");

        // Two sessions wait for the ack: the ZADD's writer and the client its write served.
        var waiting = await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp, count: 2);
        Assert.Equal(2, SemiSyncInfo.Number(waiting, "Rpl_semi_sync_master_wait_sessions"));
        Assert.Equal(0L, await reader.CallAsync("ZCARD", "held")); // neither write is visible yet

        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal(2L, writer.ReadReply());
        var popped = Assert.IsType<object?[]>(blocked.ReadReply());
        Assert.Equal(["held", "a", "1"], popped.Select(r => RespTestClient.Text(r)));
        Assert.Equal(1L, await reader.CallAsync("ZCARD", "held"));
        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_tx"));
    }
}
