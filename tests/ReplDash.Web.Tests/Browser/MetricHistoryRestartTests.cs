using System.Net.Http.Json;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Browser;

/// <summary>The real process: metric history is stored, and after a restart the live charts start with it.</summary>
public sealed class MetricHistoryRestartTests
{
    [Fact(Timeout = 180_000)]
    public async Task Restart_LiveHistoryStartsWithSamplesFromBeforeTheRestart()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("metric-restart");
        var app = await ReplDashProcess.StartAsync(dataDir);
        DateTimeOffset lastBeforeStop;
        await using (app)
        {
            using var http = TestCredentials.Client(app.BaseAddress);
            var stored = await Eventually.GetAsync(
                async () => await http.GetFromJsonAsync<MetricHistoryResponse>("api/nodes/m1/metrics?range=hour") is { Samples.Count: >= 3 } r ? r : null,
                "three stored samples of m1");
            lastBeforeStop = stored.Samples[^1].Time;
            await app.StopAsync();
        }

        var restarted = await app.RestartAsync();
        await using (restarted)
        {
            using var http = TestCredentials.Client(restarted.BaseAddress);
            // The seed is read as the sampler starts; wait for it rather than race it.
            var live = await Eventually.GetAsync(
                async () => await http.GetFromJsonAsync<MetricHistoryResponse>("api/nodes/m1/metrics?range=live") is { } r && r.Samples.Any(s => s.Time <= lastBeforeStop) ? r : null,
                "samples from before the restart in the live history");
            Assert.True(live.Samples.Count >= 3, $"only {live.Samples.Count} samples after the restart");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("api/nodes/m1/metrics?range=week")).StatusCode);
        }

        Directory.Delete(dataDir, recursive: true);
    }
}
