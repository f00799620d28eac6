using System.Net.Http.Json;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Browser;

/// <summary>The real process: events published while the host shuts down still reach the store.</summary>
public sealed class EventPersistenceTests
{
    [Fact]
    public async Task GracefulStop_StoresNodeStopEvent_ReadableAfterRestart()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("event-persistence");
        var app = await ReplDashProcess.StartAsync(dataDir);
        await using (app)
        {
            await app.StopAsync();
        }

        var restarted = await app.RestartAsync();
        await using (restarted)
        {
            using var http = TestCredentials.Client(restarted.BaseAddress);
            var stops = await http.GetFromJsonAsync<EventsResponse>("/api/events?nodeId=m1&kind=node-stop");
            Assert.Equal(1, stops!.TotalCount);

            // The second run's own start event is written in the background; wait for it rather than race it.
            await Eventually.TrueAsync(
                async () => (await http.GetFromJsonAsync<EventsResponse>("/api/events?kind=dashboard-start"))!.TotalCount == 2,
                "two dashboard-start events");
        }

        Directory.Delete(dataDir, recursive: true);
    }
}
