using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Hubs;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Hub;

/// <summary>
/// The hub at /hubs/cluster with the .NET SignalR client (Microsoft.AspNetCore.SignalR.Client) against the app on
/// real Kestrel ports, hosting m1 and its slave s1: snapshots on connect and every tick, typed as the server's own
/// records, a write and a full resync seen through them, and stored events.
/// </summary>
public sealed class DotNetHubClientTests(KestrelClusterAppFactory app) : IClassFixture<KestrelClusterAppFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<ClusterSnapshotMessage> _snapshots = new();
    private readonly ConcurrentQueue<EventDto> _events = new();
    private HubConnection? _hub;

    public Task InitializeAsync()
    {
        app.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
            await _hub.DisposeAsync();
    }

    private async Task<HubConnection> ConnectAsync(HttpTransportType transport = HttpTransportType.WebSockets)
    {
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, ClusterHub.Path.TrimStart('/')), transport,
                options => options.AccessTokenProvider = () => Task.FromResult<string?>(TestCredentials.OperatorApiKey))
            .Build();
        _hub.On<ClusterSnapshotMessage>(ClusterHub.SnapshotMethod, _snapshots.Enqueue);
        _hub.On<EventDto>(ClusterHub.EventMethod, _events.Enqueue);
        await _hub.StartAsync();
        return _hub;
    }

    private async Task<ClusterSnapshotMessage> SnapshotWhereAsync(Func<ClusterSnapshotMessage, bool> condition, string what)
    {
        ClusterSnapshotMessage? found = null;
        await Poll.UntilAsync(() => (found = _snapshots.LastOrDefault(condition)) is not null, what, Deadline);
        return found!;
    }

    private static NodeStatusDto Node(ClusterSnapshotMessage snapshot, string id) => snapshot.Nodes.Single(n => n.Id == id);

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task DotNetClient_EitherTransport_GetsASnapshotAtOnceThenOneEveryTick(HttpTransportType transport)
    {
        var hub = await ConnectAsync(transport);
        Assert.Equal(HubConnectionState.Connected, hub.State);

        var first = await SnapshotWhereAsync(_ => true, "the snapshot sent on connect");
        Assert.Equal(["m1", "s1"], first.Nodes.Select(n => n.Id));
        Assert.Equal(("master", app.MasterResp), (Node(first, "m1").Role, Node(first, "m1").RespPort));
        Assert.Equal(("slave", app.SlaveResp), (Node(first, "s1").Role, Node(first, "s1").RespPort));
        Assert.StartsWith("binlog.", Node(first, "m1").BinlogEnd);

        // The hub pushes every tick, changed or not: more snapshots follow, each taken later than the one before.
        await Poll.UntilAsync(() => _snapshots.Count >= 4, "four snapshots", Deadline);
        var taken = _snapshots.Select(s => s.TakenAtUnixMs).ToList();
        Assert.Equal(taken.Order(), taken);
        Assert.True(taken[^1] > taken[0]);
        Assert.All(_snapshots, s => Assert.True(s.SentAtUnixMs >= s.TakenAtUnixMs));
    }

    [Fact]
    public async Task DotNetClient_WriteOnTheMaster_AppearsInTheSnapshotsOnBothNodes()
    {
        await ConnectAsync();
        await SnapshotWhereAsync(s => Node(s, "s1").Link?.LinkState == "streaming", "s1 streaming");
        var before = _snapshots.Last();

        using (var client = await RespTestClient.ConnectAsync(app.MasterResp))
            Assert.Equal("OK", await client.CallAsync("SET", "hub:key", "written"));

        var after = await SnapshotWhereAsync(s => Node(s, "m1").BinlogEnd != Node(before, "m1").BinlogEnd
            && Node(s, "s1").Link?.Applied == Node(s, "m1").BinlogEnd, "the write applied on s1");
        Assert.True(Node(after, "m1").KeyCount >= 1);
        Assert.Equal(Node(after, "m1").KeyCount, Node(after, "s1").KeyCount);
    }

    [Fact]
    public async Task DotNetClient_ResyncRequested_SeesItsProgressToTheEndAndTheStoredEvents()
    {
        await ConnectAsync();
        await SnapshotWhereAsync(s => Node(s, "s1").Link?.LinkState == "streaming", "s1 streaming");
        using (var client = await RespTestClient.ConnectAsync(app.MasterResp))
            for (int i = 0; i < 100; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"hub:resync:{i}", "v"));
        await SnapshotWhereAsync(s => Node(s, "s1").Link?.Applied == Node(s, "m1").BinlogEnd, "s1 caught up");

        using var http = TestCredentials.Client(app.BaseAddress);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("api/nodes/s1/resync", null)).StatusCode);

        var done = await SnapshotWhereAsync(s => Node(s, "s1").Link?.Resync?.Phase == "completed", "the resync completed in a snapshot");
        var resync = Node(done, "s1").Link!.Resync!;
        long keys = Node(done, "m1").KeyCount;
        Assert.Equal((keys, keys), (resync.KeysTotal, resync.KeysReceived));
        Assert.True(keys >= 100);
        Assert.StartsWith("requested by api", resync.Trigger);
        Assert.Equal(["requested", "receiving", "loading", "catching-up", "completed"], resync.Phases.Select(p => p.Phase));
        // Snapshots taken while it ran showed it running (each phase they caught is in order).
        var seen = _snapshots.Select(s => Node(s, "s1").Link?.Resync?.Phase).OfType<string>().Distinct().ToList();
        Assert.Equal(seen, resync.Phases.Select(p => p.Phase).Where(seen.Contains));

        var doneEvent = await EventAsync("full-resync-done", "s1");
        Assert.Contains($"{keys} keys", doneEvent.Message);
        var stored = (await http.GetFromJsonAsync<EventsResponse>("/api/events?node=s1&kind=full-resync-done"))!.Events;
        Assert.Contains(stored, e => e.Id == doneEvent.Id && e.Message == doneEvent.Message);
        Assert.Contains("requested by api", (await EventAsync("operator-resync", "s1")).Message);
    }

    private async Task<EventDto> EventAsync(string kind, string node)
    {
        EventDto? found = null;
        await Poll.UntilAsync(() => (found = _events.FirstOrDefault(e => e.Kind == kind && e.NodeId == node)) is not null,
            $"a '{kind}' event of {node} on the hub", Deadline);
        return found!;
    }
}
