using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// Issue 13, test 4: a slave rebuilt by a full resync started from a run is clean in the check that follows the
/// resync by itself.
/// </summary>
public class ResyncFromRunTests
{
    [Fact]
    public async Task SlaveResyncedFromARun_IsCleanInTheFollowingCheck()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = { ["ReplDash__Faults__Enabled"] = "true" } }, "m1,s1", c => c.MasterResp);
        await using var app = started;
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
            for (int i = 0; i < 300; i++)
                Assert.Equal("OK", await master.CallAsync("SET", $"k{i}", $"v{i}"));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, ChecksApi.Deadline);
        using (var s1 = await RespTestClient.ConnectAsync(cluster.Slave1Resp))
            for (int i = 0; i < 40; i++)
                Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", $"k{i}", "differs"));

        long runId = await ChecksApi.StartAsync(http, "s1");
        var run = await ChecksApi.WaitDoneAsync(http, runId);
        Assert.Equal(40, ChecksApi.Findings(run).Count);

        var resync = await http.PostAsync($"api/checks/{runId}/resync/s1", null);
        Assert.Equal(HttpStatusCode.Accepted, resync.StatusCode);
        await Convergence.WaitForEventAsync(app.BaseAddress, "check-resync", ChecksApi.Deadline, "s1", $"from check {runId}");
        await Convergence.WaitForEventAsync(app.BaseAddress, "full-resync-end", ChecksApi.Deadline, "s1");

        // The check that follows the completed resync by itself (ResyncFollowUpCheck), named in a check-resync event.
        var events = await Convergence.WaitForEventAsync(app.BaseAddress, "check-resync", ChecksApi.Deadline, "s1", "completed; check");
        var followUp = Regex.Match(events, $@"from check {runId} completed; check (\d+) of s1 follows");
        Assert.True(followUp.Success, events);
        var following = await ChecksApi.WaitDoneAsync(http, long.Parse(followUp.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.StartsWith($"check after the full resync of s1 from check {runId} asked by REST client", following.GetProperty("run").GetProperty("startedBy").GetString());
        Assert.Equal("completed", following.GetProperty("status").GetString());
        Assert.Empty(ChecksApi.Findings(following));
        Assert.Equal(300, following.GetProperty("run").GetProperty("keysCompared").GetInt64());
        var (m, s) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, ChecksApi.Deadline);
        Assert.Equal(m, s);

        // A resync from a run that does not exist is refused.
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("api/checks/999999/resync/s1", null)).StatusCode);
    }
}
