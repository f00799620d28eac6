using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Events;

/// <summary>
/// GET /api/events.csv on the app in-process with its real engine and store: events published through the
/// same sink the nodes use come back filtered, with a header, and with awkward messages intact.
/// </summary>
public sealed class EventCsvExportTests : IClassFixture<DashboardAppFactory>
{
    // A node id no engine node has: these tests' events never mix with the engine's own.
    private const string Node = "csv-node";
    private const string Awkward = "He said \"stop\", then\r\nleft; a second line\nand a comma, too";

    private readonly DashboardAppFactory _factory;
    private readonly HttpClient _client;

    public EventCsvExportTests(DashboardAppFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Export_FilteredByNodeAndKind_ReturnsHeaderAndOnlyMatchingRowsWithMessagesIntact()
    {
        var sink = _factory.Services.GetRequiredService<IEngineEventSink>();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        sink.Publish(new EngineEvent(at, Node, "quoting", Awkward));
        sink.Publish(new EngineEvent(at.AddSeconds(1), Node, "quoting", "plain"));
        sink.Publish(new EngineEvent(at, Node, "other-kind", "must not be exported"));
        sink.Publish(new EngineEvent(at, "other-node", "quoting", "must not be exported either"));

        var records = await Eventually.GetAsync(async () =>
            CsvTestReader.Read(await _client.GetStringAsync($"/api/events.csv?node={Node}&kind=quoting")) is { Count: 3 } r ? r : null,
            "both quoting events in the export");

        Assert.Equal(["id", "time_utc", "node", "kind", "message"], records[0]);
        // Newest first, like the Events page.
        Assert.Equal([Node, "quoting", "plain"], records[1][2..]);
        Assert.Equal([Node, "quoting", Awkward], records[2][2..]);
        Assert.Equal("2026-01-02T03:04:05.678Z", records[2][1]);
        Assert.True(long.Parse(records[1][0]) > long.Parse(records[2][0]), "ids are the stored ones, in insertion order");
    }

    [Fact]
    public async Task Export_TimeRange_FromInclusiveToExclusive()
    {
        var sink = _factory.Services.GetRequiredService<IEngineEventSink>();
        var day = new DateTimeOffset(2001, 5, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var hour in new[] { 9, 10, 11, 12 })
        {
            sink.Publish(new EngineEvent(day.AddHours(hour), "range-node", "tick", $"at {hour}:00"));
        }

        await Eventually.TrueAsync(async () => CsvTestReader.Read(await _client.GetStringAsync("/api/events.csv?node=range-node")).Count == 5,
            "the four range events stored");
        var records = CsvTestReader.Read(await _client.GetStringAsync(
            "/api/events.csv?node=range-node&from=2001-05-01T10:00:00Z&to=2001-05-01T12:00:00Z"));

        Assert.Equal(["at 11:00", "at 10:00"], records.Skip(1).Select(r => r[4]));
    }

    [Fact]
    public async Task Export_IsCsvDownload()
    {
        var response = await _client.GetAsync("/api/events.csv?kind=no-such-kind");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(EventCsvFormat.Header + EventCsvFormat.LineEnd, await response.Content.ReadAsStringAsync());
    }
}
