using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Hosting;

/// <summary>What a newcomer's console shows when the real process starts the embedded cluster.</summary>
public class StartupBannerTests
{
    [Fact]
    public async Task EmbeddedClusterStart_PrintsTheDashboardAndEveryNodeAndNoRefusedConnection()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1,s2", c => c.MasterResp);
        await using var app = started;

        await Poll.UntilAsync(() => app.Output.Contains("  Try: redis-cli", StringComparison.Ordinal), "the start-up banner");
        // Both slaves linked: any failed first attempt would have been logged by now.
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        await Poll.UntilAsync(async () =>
        {
            var status = await http.GetFromJsonAsync<JsonElement>("api/cluster");
            return status.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("role").GetString() == "slave")
                .Count(n => n.GetProperty("link").GetProperty("linkState").GetString() == "streaming") == 2;
        }, "s1 and s2 streaming");

        var lines = app.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains($"  Dashboard: http://127.0.0.1:{app.HttpPort}/  (REST /api/cluster, hub /hubs/cluster)", lines);
        Assert.Contains($"  Node m1: master, RESP 127.0.0.1:{cluster.MasterResp}, replication 127.0.0.1:{cluster.MasterReplication}, " +
            $"data {Path.Combine(app.DataDir, "m1")}", lines);
        foreach (var (id, port) in new[] { ("s1", cluster.Slave1Resp), ("s2", cluster.Slave2Resp) })
            Assert.Contains($"  Node {id}: slave, RESP 127.0.0.1:{port}, replication from 127.0.0.1:{cluster.MasterReplication} (m1), " +
                $"data {Path.Combine(app.DataDir, id)}", lines);
        Assert.DoesNotContain("Connection refused", app.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("WARNING", app.Output); // loopback only: nothing exposed
    }
}
