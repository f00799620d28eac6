using System.Net;
using System.Net.Http.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>An operator's full resync of a slave, and the refusals of the operator API.</summary>
public class OperatorResyncTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ResyncRequestedByOperator_ReloadsASnapshotAndConverges()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);

        await WriteAsync(cluster.MasterResp, 0, 200);
        var (masterBefore, slaveBefore) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(masterBefore, slaveBefore);
        // A new slave streams the whole binlog: no snapshot so far.
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "full-resync-end", "s1"));

        var resync = await http.PostAsync("api/nodes/s1/resync", null);
        Assert.Equal(HttpStatusCode.Accepted, resync.StatusCode);

        await Convergence.WaitForEventAsync(app.BaseAddress, "full-resync-start", Deadline, "s1");
        var loaded = await Convergence.WaitForEventAsync(app.BaseAddress, "full-resync-end", Deadline, "s1");
        Assert.Contains("Loaded a snapshot of 201 keys", loaded);
        await Convergence.WaitForEventAsync(app.BaseAddress, "full-resync-end", Deadline, "m1");
        await Convergence.WaitForEventAsync(app.BaseAddress, "operator-resync", Deadline, "s1");

        // Streaming continues from the snapshot's tag.
        await WriteAsync(cluster.MasterResp, 200, 50);
        var (master, slave) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(master, slave);
        Assert.NotEqual(masterBefore, master);
        Assert.Equal("250", await Convergence.GetAsync(cluster.Slave1Resp, "counter"));
        Assert.Equal(1, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "full-resync-end", "s1"));

        // Refusals.
        var ofMaster = await http.PostAsync("api/nodes/m1/resync", null);
        Assert.Equal(HttpStatusCode.BadRequest, ofMaster.StatusCode);
        Assert.Contains("only a running slave", await ofMaster.Content.ReadAsStringAsync());
        var unknown = await http.PostAsync("api/nodes/nope/resync", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nope", await unknown.Content.ReadAsStringAsync());
        var fault = await http.PostAsJsonAsync("api/faults", new { node = "s1", point = "ForgeAck", count = 1, delayMs = 0 });
        Assert.Equal(HttpStatusCode.Forbidden, fault.StatusCode);
        Assert.Contains("disabled", await fault.Content.ReadAsStringAsync());
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "fault-armed"));
    }

    private static async Task WriteAsync(int respPort, int from, int count)
    {
        using var client = await RespTestClient.ConnectAsync(respPort);
        for (int i = from; i < from + count; i++)
        {
            Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", $"v{i}"));
            Assert.Equal((long)i + 1, await client.CallAsync("INCR", "counter"));
        }
    }
}
