using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests;

/// <summary>The EF Core store in-process: migrations at start, the event sink, the events API.</summary>
public sealed class DashboardStoreTests : IClassFixture<FakeClusterAppFactory>
{
    private readonly FakeClusterAppFactory _factory;
    private readonly HttpClient _client;

    public DashboardStoreTests(FakeClusterAppFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Start_MigratesStoreInConfiguredDataDir()
    {
        Assert.True(File.Exists(_factory.DatabaseFile), $"no database at {_factory.DatabaseFile}");

        await using var connection = new SqliteConnection($"Data Source={_factory.DatabaseFile};Mode=ReadOnly");
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'Events'"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM __EFMigrationsHistory WHERE MigrationId LIKE '%_InitialCreate'"));
        Assert.Equal(2L, await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('IX_Events_TimeUtc', 'IX_Events_NodeId')"));
    }

    [Fact]
    public async Task Start_RecordsDashboardStartEvent()
    {
        var events = await Eventually.GetAsync(
            async () => await ReadEventsAsync("/api/events?kind=dashboard-start") is { Events.Count: > 0 } r ? r : null,
            "the dashboard-start event");

        Assert.Equal("dashboard", events.Events[0].NodeId);
    }

    [Fact]
    public async Task PublishedEvent_IsStoredAndReadNewestFirst()
    {
        var sink = _factory.Services.GetRequiredService<IEngineEventSink>();
        var nodeId = "t" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow;
        sink.Publish(new EngineEvent(start, nodeId, "node-start", "Node started."));
        sink.Publish(new EngineEvent(start.AddSeconds(1), nodeId, "node-stop", "Node stopped."));
        sink.Publish(new EngineEvent(start.AddSeconds(2), nodeId, "node-start", "Node started again."));

        var all = await Eventually.GetAsync(
            async () => await ReadEventsAsync($"/api/events?nodeId={nodeId}") is { Events.Count: 3 } r ? r : null,
            "three stored events");
        Assert.Equal(["Node started again.", "Node stopped.", "Node started."], all.Events.Select(e => e.Message));
        Assert.Equal(start.AddSeconds(2).ToUnixTimeMilliseconds(), all.Events[0].TimeUtc.ToUnixTimeMilliseconds());

        var starts = await ReadEventsAsync($"/api/events?nodeId={nodeId}&kind=node-start&take=1");
        Assert.Equal(2, starts!.TotalCount);
        Assert.Equal("Node started again.", Assert.Single(starts.Events).Message);
    }

    [Fact]
    public async Task PublishedEvent_WithOversizedMessage_IsStoredCut()
    {
        var sink = _factory.Services.GetRequiredService<IEngineEventSink>();
        var nodeId = "t" + Guid.NewGuid().ToString("N")[..8];
        sink.Publish(new EngineEvent(DateTimeOffset.UtcNow, nodeId, "node-failed", new string('x', 10_000)));

        var stored = await Eventually.GetAsync(
            async () => await ReadEventsAsync($"/api/events?nodeId={nodeId}") is { Events.Count: 1 } r ? r : null,
            "the oversized event");
        Assert.Equal(2048, stored.Events[0].Message.Length);
    }

    private async Task<EventsResponse?> ReadEventsAsync(string url) =>
        await _client.GetFromJsonAsync<EventsResponse>(url);

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
