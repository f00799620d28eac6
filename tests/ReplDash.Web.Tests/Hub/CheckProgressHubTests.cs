using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using ReplDash.Testing;
using ReplDash.Web.Consistency;
using ReplDash.Web.Hubs;
using ReplDash.Web.Tests.Consistency;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Hub;

/// <summary>
/// The hub's <c>checkProgress</c> messages (docs/DASHBOARD-HUB.md) with the .NET SignalR client, against the app on real
/// Kestrel ports hosting m1 and s1: a check's progress while it runs, then its final state, typed as the server's
/// own record and equal to what the REST API says about the run.
/// </summary>
public sealed class CheckProgressHubTests(CheckProgressHubTests.SmallChunksApp app) : IClassFixture<CheckProgressHubTests.SmallChunksApp>, IAsyncLifetime
{
    /// <summary>m1 and s1 with four buckets per chunk: 1,024 chunks, so a check runs long enough to report progress on the way.</summary>
    public sealed class SmallChunksApp : KestrelClusterAppFactory
    {
        /// <inheritdoc />
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ReplDash:Consistency:InitialChunkBuckets", "4");
            builder.UseSetting("ReplDash:Consistency:MaxChunkBuckets", "4");
        }
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly ConcurrentQueue<CheckProgress> _progress = new();
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

    [Fact]
    public async Task DotNetClient_SeesACheckRunThenItsFinalState_AsTheApiReportsIt()
    {
        _hub = new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, ClusterHub.Path.TrimStart('/')),
            options => options.AccessTokenProvider = () => Task.FromResult<string?>(TestCredentials.OperatorApiKey)).Build();
        _hub.On<CheckProgress>(ClusterHub.CheckProgressMethod, _progress.Enqueue);
        await _hub.StartAsync();

        using (var master = await RespTestClient.ConnectAsync(app.MasterResp))
            for (int i = 0; i < 300; i++)
                Assert.Equal("OK", await master.CallAsync("SET", $"hub:check:{i}", $"v{i}"));
        await Convergence.CaughtUpDigestsAsync(app.MasterResp, app.SlaveResp, Deadline);
        using (var s1 = await RespTestClient.ConnectAsync(app.SlaveResp))
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "hub:check:7", "differs"));

        using var http = TestCredentials.Client(app.BaseAddress);
        // s1 only: the configuration also names s2, which this app does not host.
        long runId = await ChecksApi.StartAsync(http, "s1");

        CheckProgress? final = null;
        await Poll.UntilAsync(() => (final = _progress.FirstOrDefault(p => p.RunId == runId && p.Phase == "done")) is not null,
            $"the final checkProgress of run {runId}", Deadline);
        Assert.Equal("completed", final!.Status);
        Assert.Equal((4096, 4096), (final.BucketsDone, final.BucketsTotal));
        Assert.Equal(300, final.KeysCompared);
        Assert.Equal(1, final.DifferingKeys);

        // Pushed on the way, in order: the run was seen running with its counts growing, never going back.
        var ofRun = _progress.Where(p => p.RunId == runId).ToList();
        Assert.Contains(ofRun, p => p.Status == "running" && p.Phase is "checking" or "waiting" && p.BucketsDone is > 0 and < 4096);
        Assert.Equal(ofRun.Select(p => p.BucketsDone).Order(), ofRun.Select(p => p.BucketsDone));
        Assert.Equal(ofRun.Select(p => p.KeysCompared).Order(), ofRun.Select(p => p.KeysCompared));
        Assert.All(ofRun.Where(p => p.Status == "running" && p.EtaSeconds is not null), p => Assert.True(p.EtaSeconds >= 0));

        var shown = (await ChecksApi.ShowAsync(http, runId)).GetProperty("run");
        Assert.Equal(shown.GetProperty("chunksDone").GetInt32(), final.ChunksDone);
        Assert.True(final.ChunksDone >= 1024, $"{final.ChunksDone} chunks"); // at most 4 buckets each
        Assert.Equal(shown.GetProperty("keysCompared").GetInt64(), final.KeysCompared);
        Assert.Equal(shown.GetProperty("differingKeys").GetInt32(), final.DifferingKeys);
    }
}
