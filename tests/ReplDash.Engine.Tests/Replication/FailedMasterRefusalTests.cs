using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Tests.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A failed master refuses every slave link with its reason (one ErrorMessage frame instead of a greeting), and
/// says so once in its log and events, not once per attempt; the slave shows the reason as its link's last error.
/// </summary>
public class FailedMasterRefusalTests
{
    [Fact]
    public async Task FailedMaster_RefusesHandshakesWithItsReason_AndLogsItOnce()
    {
        var cluster = new ClusterConfig { SemiSync = false };
        var dataDir = RepositoryPaths.NewTempDirectory("failed-master");
        await using (var first = await cluster.StartAsync("m1", cluster.MasterResp, dataDir))
        {
            using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
            for (int i = 0; i < 20; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", new string('v', 100)));
            await first.StopAsync();
        }
        // A bad item in the middle, and no store to start from: the master cannot recover and fails.
        var damaged = BinlogTestLog.CorruptItemAndDropStore(Path.Combine(dataDir, "m1"), itemIndex: 9);

        // The master and a real slave in one process: the slave keeps retrying while the test connects too.
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp, dataDir);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            await using var fake = await FakeSlave.ConnectAsync(cluster.MasterReplication);
            var refusal = Assert.IsType<ErrorMessage>(await fake.ReceiveAsync());
            Assert.Equal(ReplicationErrorCodes.NodeFailed, refusal.Code);
            Assert.Contains("binlog.000001", refusal.Message);
            Assert.Contains($"offset {damaged.Offset}", refusal.Message);
            Assert.True(await fake.ClosedByMasterWithinAsync(TimeSpan.FromSeconds(10)), "the master closes the link after its refusal");
        }

        // The slave shows why in its link's last error.
        using var http = TestCredentials.Client(app.BaseAddress);
        string? linkError = null;
        await Poll.UntilAsync(async () =>
        {
            var nodes = (await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes");
            var s1 = nodes.EnumerateArray().Single(n => n.GetProperty("id").GetString() == "s1");
            linkError = s1.GetProperty("link").GetProperty("lastError").GetString();
            return linkError?.Contains("NODE_FAILED") == true;
        }, "s1's link error to name the master's failure", describe: () => Task.FromResult(linkError ?? "none"));
        Assert.Contains($"offset {damaged.Offset}", linkError);

        // At least five refusals (four here, the slave's own), yet one event and one log line on the master,
        // and one link-refused event on the slave.
        await ReplicationProbe.WaitForEventCountAsync(app.BaseAddress, "link-refused", "m1", 1, TimeSpan.FromSeconds(30));
        await ReplicationProbe.WaitForEventCountAsync(app.BaseAddress, "link-refused", "s1", 1, TimeSpan.FromSeconds(30));
        Assert.Equal(1, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "link-refused", "m1"));
        Assert.Equal(1, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "link-refused", "s1"));
        Assert.Single(Regex.Matches(app.Output, "refusing slave links"));
    }
}
