using System.Net;
using System.Net.Http.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>Run-time semi-sync settings: CONFIG SET and the REST API refuse bad values and leave the running ones alone.</summary>
public class SemiSyncSettingsTests
{
    [Fact]
    public async Task BadValues_AreRefusedClearly_AndLeaveTheRunningSettingsUnchanged()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 4321 };
        await using var app = await cluster.StartAsync("m1,s1,s2", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        var before = await SettingsAsync(client);
        Assert.Equal("4321", before["rpl_semi_sync_master_timeout"]);
        Assert.Equal("AFTER_SYNC", before["rpl_semi_sync_master_wait_point"]);

        AssertRefused(await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_timeout", "-5"), "between 1 and 4294967295 ms");
        AssertRefused(await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_point", "AFTER_LUNCH"), "AFTER_SYNC or AFTER_COMMIT");
        AssertRefused(await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_for_slave_count", "3"), "above the 2 slave(s)");
        // Several at once: all or nothing.
        AssertRefused(await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_timeout", "100", "rpl_semi_sync_master_wait_for_slave_count", "0"), "between 1 and 65535");
        Assert.Equal(before, await SettingsAsync(client));

        using var http = TestCredentials.Client(app.BaseAddress);
        var refused = await http.PutAsJsonAsync("api/nodes/m1/semisync", new Dictionary<string, string> { ["rpl_semi_sync_master_timeout"] = "-1" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("between 1 and 4294967295 ms", await refused.Content.ReadAsStringAsync());
        var slave = await http.PutAsJsonAsync("api/nodes/s1/semisync", new Dictionary<string, string> { ["rpl_semi_sync_master_timeout"] = "100" });
        Assert.Equal(HttpStatusCode.BadRequest, slave.StatusCode);
        var unknown = await http.PutAsJsonAsync("api/nodes/m9/semisync", new Dictionary<string, string> { ["rpl_semi_sync_master_timeout"] = "100" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await SettingsAsync(client));

        // Good values take effect at once and are recorded as an event.
        var accepted = await http.PutAsJsonAsync("api/nodes/m1/semisync", new Dictionary<string, string>
        {
            ["rpl_semi_sync_master_timeout"] = "2500",
            ["rpl_semi_sync_master_wait_point"] = "AFTER_COMMIT",
        });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var after = await SettingsAsync(client);
        Assert.Equal("2500", after["rpl_semi_sync_master_timeout"]);
        Assert.Equal("AFTER_COMMIT", after["rpl_semi_sync_master_wait_point"]);
        Assert.Equal("OK", await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_for_slave_count", "2"));
        Assert.Equal("2", (await SettingsAsync(client))["rpl_semi_sync_master_wait_for_slave_count"]);
        await Convergence.WaitForEventAsync(app.BaseAddress, "semisync-config", TimeSpan.FromSeconds(10), "m1", "timeout=2500 ms");
    }

    [Fact]
    public async Task TraceLevel_LogsEveryWaitAndAckWithPositions()
    {
        // A long semi-sync timeout: a slow ack on a loaded machine must not turn semi-sync OFF, which would
        // end the traced wait without its "wait done" line.
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 60_000 };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
        Assert.Equal("OK", await client.CallAsync("SET", "quiet", "1"));
        Assert.DoesNotContain("Semi-sync trace", app.Output);

        Assert.Equal("OK", await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_trace_level", "49"));
        Assert.Equal("OK", await client.CallAsync("SET", "traced", "1"));
        var info = await Convergence.InfoAsync(cluster.MasterResp, "persistence");
        string end = info["binlog_end"];
        await Poll.UntilAsync(() => app.Output.Contains($"wait for acks up to {end}") && app.Output.Contains($"wait done for {end}")
            && app.Output.Contains("ack from s1 after"), "trace lines for the traced write", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(ClusterConfig.Secret, app.Output);
    }

    private static void AssertRefused(object? reply, string reason)
    {
        var error = Assert.IsType<RespError>(reply);
        Assert.StartsWith("ERR CONFIG SET failed", error.Message);
        Assert.Contains(reason, error.Message);
    }

    private static async Task<Dictionary<string, string>> SettingsAsync(RespTestClient client)
    {
        var reply = (object?[])(await client.CallAsync("CONFIG", "GET", "rpl_semi_sync_master_*"))!;
        var settings = new Dictionary<string, string>();
        for (int i = 0; i < reply.Length; i += 2)
            settings[RespTestClient.Text(reply[i])!] = RespTestClient.Text(reply[i + 1])!;
        Assert.Equal(5, settings.Count);
        return settings;
    }
}
