using System.Net.Http.Json;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Browser;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Hub;

/// <summary>
/// The hub at /hubs/cluster seen from outside: the example Node client (npm @microsoft/signalr) against the
/// real app as a child process, with faults enabled so that a test can cause an event.
/// In the browser collection: the snapshot rate and the 2-second gap it asserts measure the hub only when no
/// Chromium, cluster and redis-benchmark of a browser class run beside it on the two cores.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClusterHubTests : IAsyncLifetime
{
    private ReplDashProcess? _app;

    private ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _app = await ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("hub"),
            new Dictionary<string, string> { ["ReplDash__Faults__Enabled"] = "true" });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeClient_IdleCluster_ReceivesAtLeastTwoSnapshotsPerSecond()
    {
        const double seconds = 4;
        await using var client = await NodeHubClient.StartAsync(App, "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        // Nothing is written meanwhile: the hub must keep pushing even though no snapshot changed.
        var summary = client.Summary();
        Assert.True(summary["min_rate"] >= 2.0, $"{summary["min_rate"]} snapshots/s (want >= 2):\n{string.Join('\n', client.Lines)}");
        // Two silent seconds is what docs/DASHBOARD-HUB.md tells consumers to treat as a lost server.
        Assert.True(summary["max_gap_ms"] < 2000, $"a gap of {summary["max_gap_ms"]} ms between snapshots");
        Assert.Contains(client.Lines, l => l.StartsWith("snapshot ", StringComparison.Ordinal) && l.Contains(" m1:running:binlog.", StringComparison.Ordinal));
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeClient_WithoutAnApiKeyOrWithAWrongOne_IsRefused()
    {
        foreach (var key in new[] { "", "rdk_not-a-key-of-this-app-000000" })
        {
            var (exitCode, output) = await NodeHubClient.RunUntilExitAsync(App, key, TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
            Assert.Contains("could not connect", output);
            Assert.DoesNotContain("connected clients=", output);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeClient_FaultArmed_ReceivesTheStoredEventWithItsId()
    {
        await using var client = await NodeHubClient.StartAsync(App, "--seconds", "60");

        await Convergence.ArmFaultAsync(App.BaseAddress, "m1", "SlowApply", count: 1, delayMs: 1);

        var line = await Eventually.GetAsync(
            () => Task.FromResult(client.Lines.FirstOrDefault(l => l.StartsWith("event ", StringComparison.Ordinal) && l.Contains(" m1 fault-armed ", StringComparison.Ordinal))),
            "the fault-armed event on the hub");
        using var http = TestCredentials.Client(App.BaseAddress);
        var stored = (await http.GetFromJsonAsync<EventsResponse>("/api/events?node=m1&kind=fault-armed"))!.Events.Single();
        Assert.StartsWith($"event #{stored.Id} ", line, StringComparison.Ordinal);
        Assert.EndsWith(stored.Message, line, StringComparison.Ordinal);
    }
}
