using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A slave coalesces acks the master did not ask for (ReplDash:Replication:AckCoalesceMs): one relay-log sync
/// and one ack cover many batches. The master asks for an ack at once whenever something waits for it:
/// semi-sync, a WAIT command, a half-full sync window. Each test sets the coalescing time to a minute, so an
/// ack the master needed and did not ask for would stall the test far beyond its deadline.
/// </summary>
public class CoalescedAckTests
{
    private const string AMinute = "60000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AsynchronousReplication_HoldsAcksAndRelaySyncsBack_UntilAWaitAsksForThem()
    {
        // A checkpoint syncs the relay log up to what it stores: none may happen while the test looks.
        var cluster = AsynchronousCluster("ReplDash__Durability__CheckpointIntervalMs", "600000");
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await WaitForStreamingAsync(app.BaseAddress);

        for (int i = 0; i < 20; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", $"v{i}"));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);

        // Applied everything, acknowledged none of it: the acks (and the relay-log sync before them) are held back.
        var held = await PositionsAsync(app.BaseAddress);
        Assert.Equal(held.MasterEnd, held.Received);
        Assert.Equal(held.MasterEnd, held.Sent);
        Assert.True(Compare(held.Acked, held.Sent) < 0, $"acked {held.Acked} should lag sent {held.Sent}");
        Assert.True(Compare(held.RelaySynced, held.Received) < 0, $"relay synced {held.RelaySynced} should lag received {held.Received}");

        // WAIT asks the slave for its ack at once (an empty batch flagged AckNow), as Redis's REPLCONF GETACK does.
        Assert.Equal(1L, await client.CallAsync("WAIT", "1", "20000"));
        var acked = await PositionsAsync(app.BaseAddress);
        Assert.Equal(held.MasterEnd, acked.Acked);
        Assert.Equal(held.MasterEnd, acked.RelaySynced);
    }

    [Fact]
    public async Task SemiSync_AsksForEveryAck_SoCoalescingNeverHoldsACommitBack()
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 120_000, // longer than the coalescing time: a held ack would hold the write
            Extra = new() { ["ReplDash__Replication__AckCoalesceMs"] = AMinute },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);

        for (int i = 0; i < 5; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", $"v{i}").WaitAsync(Deadline));

        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal("ON", info["Rpl_semi_sync_master_status"]);
        Assert.True(SemiSyncInfo.Number(info, "Rpl_semi_sync_master_yes_tx") >= 5);
        Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_tx"));
    }

    [Fact]
    public async Task HalfFullSyncWindow_AsksForTheAck_SoTheStreamNeverStalls()
    {
        var cluster = AsynchronousCluster("ReplDash__Replication__SyncWindowItems", "8");
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await WaitForStreamingAsync(app.BaseAddress);

        // Ten times the window: without an ack at half full, the master would stop after 8 items for a minute.
        for (int i = 0; i < 80; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", $"v{i}"));
        var (master, slave) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(master, slave);
    }

    /// <summary>Semi-sync disabled, acks coalesced for a minute, and one more setting.</summary>
    private static ClusterConfig AsynchronousCluster(string key, string value) => new()
    {
        SemiSync = false,
        Extra = new() { ["ReplDash__Replication__AckCoalesceMs"] = AMinute, [key] = value },
    };

    private sealed record Positions(string MasterEnd, string Sent, string Acked, string Received, string RelaySynced);

    /// <summary>m1's binlog end and what it sent and had acknowledged by s1; s1's received and relay-synced ends.</summary>
    private static async Task<Positions> PositionsAsync(Uri baseAddress)
    {
        using var http = TestCredentials.Client(baseAddress);
        var nodes = (await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes").EnumerateArray().ToList();
        var master = nodes.Single(n => n.GetProperty("id").GetString() == "m1");
        var slave = nodes.Single(n => n.GetProperty("id").GetString() == "s1");
        var link = master.GetProperty("slaves")[0];
        var relay = slave.GetProperty("link");
        return new Positions(Text(master.GetProperty("binlogEnd")), Text(link.GetProperty("sent")), Text(link.GetProperty("acked")),
            Text(relay.GetProperty("received")), Text(relay.GetProperty("relaySynced")));
    }

    private static async Task WaitForStreamingAsync(Uri baseAddress)
    {
        using var http = TestCredentials.Client(baseAddress);
        await Poll.UntilAsync(async () =>
        {
            var nodes = (await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes").EnumerateArray();
            var master = nodes.Single(n => n.GetProperty("id").GetString() == "m1");
            return master.TryGetProperty("slaves", out var slaves) && slaves.ValueKind == JsonValueKind.Array
                && slaves.EnumerateArray().Any(s => s.GetProperty("state").GetString() == "streaming");
        }, "s1 streaming from m1");
    }

    /// <summary>A position as the API writes it: "binlog.000001:1234".</summary>
    private static string Text(JsonElement position) => position.GetString()!;

    private static int Compare(string a, string b)
    {
        static (long File, long Offset) Parse(string position)
        {
            int colon = position.LastIndexOf(':');
            return (long.Parse(position[(position.IndexOf('.') + 1)..colon]), long.Parse(position[(colon + 1)..]));
        }
        return Parse(a).CompareTo(Parse(b));
    }
}
