using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>The progress of an operator's full resync, as GET /api/cluster reports it on the slave, from request to outcome.</summary>
public class ResyncProgressApiTests
{
    private const int KeyCount = 20_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] PhaseOrder = ["requested", "receiving", "loading", "catching-up", "completed"];

    [Fact]
    public async Task ResyncRequestedThroughTheApi_ReportsEveryPhaseAndEveryKeyThenMatchesTheMaster()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);

        // 20,000 keys of 9 + 11 bytes each: the snapshot's size is known exactly.
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            for (int batch = 0; batch < KeyCount / 500; batch++)
            {
                var args = new List<string> { "MSET" };
                for (int i = batch * 500; i < (batch + 1) * 500; i++)
                    args.AddRange([$"key:{i:D5}", $"value:{i:D5}"]);
                Assert.Equal("OK", await client.CallAsync([.. args]));
            }
        var (masterBefore, slaveBefore) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(masterBefore, slaveBefore);
        Assert.Null(await ResyncOfAsync(http)); // no resync since start: a new slave streams the binlog

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("api/nodes/s1/resync", null)).StatusCode);

        // Poll the status as the dashboard does (no sleeps): every phase seen is in order, and it ends completed.
        var seen = new List<string>();
        JsonElement resync = default;
        await Poll.UntilAsync(async () =>
        {
            if (await ResyncOfAsync(http) is not { } current)
                return false;
            resync = current;
            var phase = current.GetProperty("phase").GetString()!;
            if (seen.Count == 0 || seen[^1] != phase)
                seen.Add(phase);
            return phase is "completed" or "failed";
        }, "s1's resync to finish", Deadline, () => Task.FromResult(resync.ToString()));

        Assert.Equal("completed", resync.GetProperty("phase").GetString());
        Assert.Equal(seen, PhaseOrder.Where(seen.Contains));
        Assert.Equal(PhaseOrder, resync.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        var times = resync.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(KeyCount, resync.GetProperty("keysTotal").GetInt64());
        Assert.Equal(KeyCount, resync.GetProperty("keysReceived").GetInt64());
        Assert.Equal(KeyCount * 20L, resync.GetProperty("bytesReceived").GetInt64());
        Assert.True(resync.GetProperty("keysPerSecond").GetDouble() > 0);
        Assert.StartsWith("requested by api", resync.GetProperty("trigger").GetString());
        var startedAt = resync.GetProperty("startedAt").GetDateTimeOffset();
        var finishedAt = resync.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.Equal(times[0], startedAt);
        Assert.Equal(times[^1], finishedAt);
        Assert.StartsWith($"{KeyCount} keys in ", resync.GetProperty("outcome").GetString());

        var (master, slave) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(master, slave);
        Assert.Equal(masterBefore, master);
        var done = await Convergence.WaitForEventAsync(app.BaseAddress, "full-resync-done", Deadline, "s1");
        Assert.Contains($"{KeyCount} keys, {KeyCount * 20L} bytes", done);
        Assert.Contains("requested by api", done);
        Assert.Contains("requested by api", await Convergence.WaitForEventAsync(app.BaseAddress, "operator-resync", Deadline, "s1"));
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "full-resync-failed", "s1"));

        // The master goes on writing after the resync: the slave streams from the snapshot's tag.
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            Assert.Equal("OK", await client.CallAsync("SET", "after", "resync"));
        var (masterAfter, slaveAfter) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(masterAfter, slaveAfter);
        Assert.Equal("resync", await Convergence.GetAsync(cluster.Slave1Resp, "after"));
    }

    [Fact]
    public async Task LinkCutWhileReceiving_ReportsFailedWithTheReasonThenTheRequestIsRetriedToCompletion()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = { ["ReplDash__Faults__Enabled"] = "true" } }, "m1,s1", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);
        // Three snapshot chunks (about 1 MiB each); the slave pauses after each, so the transfer can be cut midway.
        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
            for (int i = 0; i < 3000; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"big:{i}", new string('v', 1000)));
        await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "SlowSnapshotChunk", count: 1, delayMs: 60_000);

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("api/nodes/s1/resync", null)).StatusCode);
        await Poll.UntilAsync(async () => await ResyncOfAsync(http) is { } r && r.GetProperty("keysReceived").GetInt64() > 0,
            "the first chunk received", Deadline);
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "CutLink");

        JsonElement failed = default;
        await Poll.UntilAsync(async () => await ResyncOfAsync(http) is { } r && (failed = r).GetProperty("phase").GetString() == "failed",
            "the resync to fail", Deadline, () => Task.FromResult(failed.ToString()));
        Assert.Equal(["requested", "receiving", "failed"], failed.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        Assert.InRange(failed.GetProperty("keysReceived").GetInt64(), 1, 2999);
        Assert.Equal(3000, failed.GetProperty("keysTotal").GetInt64());
        Assert.Equal("Failed while receiving: the link was closed.", failed.GetProperty("outcome").GetString());
        Assert.NotEqual(JsonValueKind.Null, failed.GetProperty("finishedAt").ValueKind);
        var failedEvent = await Convergence.WaitForEventAsync(app.BaseAddress, "full-resync-failed", Deadline, "s1");
        Assert.Contains("requested by api", failedEvent);
        Assert.Contains("of 3000 keys: the link was closed", failedEvent);

        // The operator's request still stands: the next link asks for a snapshot again, as a new attempt, and finishes.
        await Convergence.ClearFaultsAsync(app.BaseAddress);
        JsonElement retried = default;
        await Poll.UntilAsync(async () => await ResyncOfAsync(http) is { } r && (retried = r).GetProperty("phase").GetString() == "completed",
            "the retried resync to complete", Deadline, () => Task.FromResult(retried.ToString()));
        Assert.EndsWith("(again after a failed attempt)", retried.GetProperty("trigger").GetString());
        Assert.StartsWith("requested by api", retried.GetProperty("trigger").GetString());
        Assert.Equal(3000, retried.GetProperty("keysReceived").GetInt64());
        var (master, slave) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(master, slave);
    }

    /// <summary>The slave's <c>link.resync</c> from GET /api/cluster, null when it had none.</summary>
    internal static async Task<JsonElement?> ResyncOfAsync(HttpClient http, string slaveId = "s1")
    {
        var cluster = await http.GetFromJsonAsync<JsonElement>("api/cluster");
        var slave = cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == slaveId);
        return slave.GetProperty("link").GetProperty("resync") is { ValueKind: JsonValueKind.Object } resync ? resync.Clone() : null;
    }
}
