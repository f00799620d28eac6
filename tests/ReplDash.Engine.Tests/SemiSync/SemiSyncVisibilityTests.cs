using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L4, visibility: with the slave's acks held, a SET under AfterSync waits, and another client reading
/// the key gets the old value until the ack arrives; under AfterCommit the other client sees the new value at
/// once. The unsafe switch (visible before the ack) makes the AfterSync check fail, which shows it can.
/// </summary>
public class SemiSyncVisibilityTests
{
    [Fact]
    public async Task AfterSync_OtherClientsReadTheOldValue_UntilTheAckArrives()
    {
        var seen = await ReadWhileAckIsHeldAsync("AFTER_SYNC", unsafeVisible: false);
        Assert.Equal(new string?[] { "old", "old", "old" }, seen.WhileWaiting.AsEnumerable());
        Assert.Equal("new", seen.AfterAck);
    }

    [Fact]
    public async Task AfterCommit_OtherClientsReadTheNewValue_WhileTheWriterStillWaits()
    {
        var seen = await ReadWhileAckIsHeldAsync("AFTER_COMMIT", unsafeVisible: false);
        Assert.Equal(new string?[] { "new", "new", "new" }, seen.WhileWaiting.AsEnumerable());
        Assert.Equal("new", seen.AfterAck);
    }

    [Fact]
    public async Task AfterSync_WithTheUnsafeVisibleBeforeAckSwitch_IsCaughtShowingTheUnacknowledgedValue()
    {
        var seen = await ReadWhileAckIsHeldAsync("AFTER_SYNC", unsafeVisible: true);
        Assert.Contains("new", seen.WhileWaiting);
    }

    private sealed record Seen(string?[] WhileWaiting, string? AfterAck);

    private static async Task<Seen> ReadWhileAckIsHeldAsync(string waitPoint, bool unsafeVisible)
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000, // the wait must end by the ack, never by the timeout
            Extra = new()
            {
                ["ReplDash__Faults__Enabled"] = "true",
                ["ReplDash__Faults__UnsafeSemiSyncVisibleBeforeAck"] = unsafeVisible ? "true" : "false",
            },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var writer = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var reader = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await writer.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_point", waitPoint));
        Assert.Equal("OK", await writer.CallAsync("SET", "k", "old")); // acknowledged normally
        await SemiSyncInfo.StatusAsync(cluster.MasterResp, on: true);

        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await writer.SendAsync("SET", "k", "new");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp); // the SET ran and now waits for its ack

        var whileWaiting = new[]
        {
            RespTestClient.Text(await reader.CallAsync("GET", "k")),
            RespTestClient.Text(((object?[])(await reader.CallAsync("MGET", "k", "other"))!)[0]),
            await Convergence.GetAsync(cluster.MasterResp, "k"), // a brand-new connection too
        };
        var stillWaiting = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal(1, SemiSyncInfo.Number(stillWaiting, "Rpl_semi_sync_master_wait_sessions"));

        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal("OK", writer.ReadReply()); // answered once acknowledged
        var afterAck = RespTestClient.Text(await reader.CallAsync("GET", "k"));
        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal("ON", info["Rpl_semi_sync_master_status"]);
        Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_tx"));
        return new Seen(whileWaiting, afterAck);
    }
}
