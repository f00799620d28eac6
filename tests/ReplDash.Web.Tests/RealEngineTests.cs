using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests;

/// <summary>The app in-process with the real engine: the dashboard sees the configured node and its events.</summary>
public sealed class RealEngineTests : IClassFixture<DashboardAppFactory>
{
    private readonly HttpClient _client;

    public RealEngineTests(DashboardAppFactory factory) => _client = factory.CreateClient();

    [Fact]
    public async Task ClusterApi_ListsConfiguredMasterOnceRunning()
    {
        var m1Json = await Eventually.GetAsync(async () =>
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync("/api/cluster"));
            var node = json.RootElement.GetProperty("nodes").EnumerateArray().Single();
            return node.GetProperty("state").GetString() == "running" ? node.GetRawText() : null;
        }, "m1 running");
        using var document = JsonDocument.Parse(m1Json);
        var m1 = document.RootElement;

        Assert.Equal("m1", m1.GetProperty("id").GetString());
        Assert.Equal("master", m1.GetProperty("role").GetString());
        Assert.StartsWith("binlog.", m1.GetProperty("binlogEnd").GetString());
        Assert.Equal(
            $"{m1.GetProperty("binlogEndFile").GetString()}:{m1.GetProperty("binlogEndOffset").GetInt64()}",
            m1.GetProperty("binlogEnd").GetString());
    }

    [Fact]
    public async Task EventsApi_HasNodeStartPublishedByEngine()
    {
        var events = await Eventually.GetAsync(
            async () => await _client.GetFromJsonAsync<EventsResponse>("/api/events?nodeId=m1&kind=node-start") is { Events.Count: > 0 } r ? r : null,
            "m1's node-start event");

        Assert.Contains("m1", events.Events[0].Message);
    }
}
