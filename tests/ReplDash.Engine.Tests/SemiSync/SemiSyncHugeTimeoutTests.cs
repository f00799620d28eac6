using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Issue 11, cases 1 and 2: a huge semi-sync timeout once switched semi-sync OFF at once (the deadline overflowed
/// into the past) or killed the timeout loop (a timer longer than .NET allows), after which a write waited
/// forever even with the timeout set back to 1000. Now values outside MySQL's range are refused on every path,
/// and MySQL's largest value keeps the write waiting until the timeout is lowered.
/// </summary>
public class SemiSyncHugeTimeoutTests
{
    private const string Timeout = "rpl_semi_sync_master_timeout";
    private const string Range = "must be between 1 and 4294967295 ms";

    [Fact]
    public async Task OutOfRangeTimeouts_AreRefusedClearly_ByConfigSetAndRest_AndChangeNothing()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 60_000 };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);

        foreach (var value in new[] { "4294967296", "9223372036854775807", "99999999999999999999", "0" })
        {
            var error = Assert.IsType<RespError>(await client.CallAsync("CONFIG", "SET", Timeout, value));
            Assert.StartsWith("ERR CONFIG SET failed", error.Message);
            Assert.EndsWith($"- {Timeout} {Range} (got {value})", error.Message);
        }
        using var http = TestCredentials.Client(app.BaseAddress);
        foreach (var value in new[] { "4294967296", "9223372036854775807" })
        {
            var refused = await http.PutAsJsonAsync("api/nodes/m1/semisync", new Dictionary<string, string> { [Timeout] = value });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"{Timeout} {Range} (got {value})", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal("60000", await TimeoutSettingAsync(client));
        Assert.Equal("PONG", await client.CallAsync("PING")); // the connection keeps being served
    }

    [Fact]
    public async Task MaxTimeout_WithAcksHeld_KeepsTheWriteWaiting_ThenBackTo1000_ItFallsBackInAboutASecond()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 60_000, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var admin = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var writer = await RespTestClient.ConnectAsync(cluster.MasterResp, TimeSpan.FromSeconds(30));
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
        Assert.Equal("OK", await writer.CallAsync("SET", "k", "1"));

        Assert.Equal("OK", await admin.CallAsync("CONFIG", "SET", Timeout, "4294967295"));
        Assert.Equal("4294967295", await TimeoutSettingAsync(admin));
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await writer.SendAsync("SET", "k", "2");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp);

        // Longer than the 1000 ms set next: had the huge value turned into an immediate (or any) fallback, it is visible by now.
        var waited = Stopwatch.StartNew();
        while (waited.ElapsedMilliseconds < 1500)
        {
            var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
            Assert.Equal("ON", info["Rpl_semi_sync_master_status"]);
            Assert.Equal(1, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_wait_sessions"));
            Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_times"));
            await Task.Delay(100);
        }

        Assert.Equal("OK", await admin.CallAsync("CONFIG", "SET", Timeout, "1000"));
        var fallback = Stopwatch.StartNew();
        Assert.Equal("OK", writer.ReadReply()); // hung (no reply for good) before the fix
        Assert.True(fallback.Elapsed < TimeSpan.FromSeconds(10), $"the write fell back {fallback.Elapsed} after the timeout was lowered");
        var off = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal("OFF", off["Rpl_semi_sync_master_status"]);
        Assert.Equal(1, SemiSyncInfo.Number(off, "Rpl_semi_sync_master_no_times"));
        Assert.Contains("timeout", off["semisync_last_switch_reason"]);

        // WAIT with the largest timeout Redis accepts waits for the ack instead of failing on it.
        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal(1L, await writer.CallAsync("WAIT", "1", "9223372036854775807"));
    }

    private static async Task<string?> TimeoutSettingAsync(RespTestClient client)
    {
        var reply = (object?[])(await client.CallAsync("CONFIG", "GET", Timeout))!;
        return RespTestClient.Text(reply[1]);
    }
}
