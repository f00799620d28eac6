using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L4 in numbered databases. With the slave's acks held, a SET k in database 5 and a MOVE m 5 from database 0
/// wait; meanwhile another client reads, at once, the committed state of every database: k's old value in database 5,
/// m absent from database 5 and still present in database 0, and k of database 0 (another key of the same name, with no
/// pending write) as it is. No read waits for the held acks (the reader's socket gives up after 20 s; the semi-sync
/// timeout is 120 s), and none sees an unacknowledged write. With the keys recorded in database 0 only (effects' SELECT
/// ignored) or MOVE's target left out, the database-5 reads show the new values (checked by hand); with the unsafe
/// visible-before-ack switch they show them too, which the second test checks.
/// </summary>
public class SemiSyncDatabaseVisibilityTests
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AfterSync_ReadsInEveryDatabase_AreAnsweredAtOnce_FromTheCommittedState()
    {
        var seen = await ReadWhileAcksAreHeldAsync(unsafeVisible: false);
        Assert.Equal("old", seen["5:GET k"]);
        Assert.Equal("plain", seen["5:GET plain"]);
        Assert.Null(seen["5:GET m"]); // MOVE m 5 waits: m is not in database 5 yet
        Assert.Equal("old,plain,", seen["5:MGET k plain m"]);
        Assert.Equal("zero", seen["0:GET k"]);
        Assert.Equal("moving", seen["0:GET m"]); // nor gone from database 0
        Assert.Equal("new", seen["after:5:GET k"]);
        Assert.Equal("moving", seen["after:5:GET m"]);
        Assert.Null(seen["after:0:GET m"]);
    }

    [Fact]
    public async Task AfterSync_WithTheUnsafeVisibleBeforeAckSwitch_IsCaughtShowingDatabase5sUnacknowledgedWrites()
    {
        var seen = await ReadWhileAcksAreHeldAsync(unsafeVisible: true);
        Assert.Equal("new", seen["5:GET k"]);
        Assert.Equal("moving", seen["5:GET m"]);
    }

    private static async Task<Dictionary<string, string?>> ReadWhileAcksAreHeldAsync(bool unsafeVisible)
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 120_000, // the waits must end by the ack, never by the timeout
            Extra = new()
            {
                ["ReplDash__Faults__Enabled"] = "true",
                ["ReplDash__Faults__UnsafeSemiSyncVisibleBeforeAck"] = unsafeVisible ? "true" : "false",
            },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var inDatabase5 = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var inDatabase0 = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var reader = await RespTestClient.ConnectAsync(cluster.MasterResp, ReadLimit);
        Assert.Equal("OK", await inDatabase5.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_point", "AFTER_SYNC"));
        Assert.Equal("OK", await inDatabase0.CallAsync("SET", "k", "zero"));
        Assert.Equal("OK", await inDatabase0.CallAsync("SET", "m", "moving"));
        Assert.Equal("OK", await inDatabase5.CallAsync("SELECT", "5"));
        Assert.Equal("OK", await inDatabase5.CallAsync("SET", "k", "old"));
        Assert.Equal("OK", await inDatabase5.CallAsync("SET", "plain", "plain")); // acknowledged normally
        await SemiSyncInfo.StatusAsync(cluster.MasterResp, on: true);

        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await inDatabase5.SendAsync("SET", "k", "new");
        await inDatabase0.SendAsync("MOVE", "m", "5");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp, 2); // both ran and wait for their acks

        var seen = new Dictionary<string, string?>();
        async Task ReadAsync(string database, params string[] command)
        {
            var reply = await reader.CallAsync(command);
            seen[$"{database}:{string.Join(' ', command)}"] = reply is object?[] array
                ? string.Join(',', array.Select(RespTestClient.Text))
                : RespTestClient.Text(reply);
        }
        Assert.Equal("OK", await reader.CallAsync("SELECT", "5"));
        await ReadAsync("5", "GET", "k");
        await ReadAsync("5", "GET", "plain");
        await ReadAsync("5", "GET", "m");
        await ReadAsync("5", "MGET", "k", "plain", "m");
        Assert.Equal("OK", await reader.CallAsync("SELECT", "0"));
        await ReadAsync("0", "GET", "k");
        await ReadAsync("0", "GET", "m");
        Assert.Equal(2, SemiSyncInfo.Number(await SemiSyncInfo.ReadAsync(cluster.MasterResp), "Rpl_semi_sync_master_wait_sessions"));

        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal("OK", inDatabase5.ReadReply()); // answered once acknowledged
        Assert.Equal(1L, inDatabase0.ReadReply());
        await ReadAsync("after:0", "GET", "m");
        Assert.Equal("OK", await reader.CallAsync("SELECT", "5"));
        await ReadAsync("after:5", "GET", "k");
        await ReadAsync("after:5", "GET", "m");
        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal("ON", info["Rpl_semi_sync_master_status"]);
        Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_tx"));
        return seen;
    }
}
