using System.Text.RegularExpressions;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests;

/// <summary>The Overview carries the time its data was read (data-taken-at-ms), which bench/dashboard.sh reads in the browser.</summary>
public sealed partial class OverviewTimestampTests : IClassFixture<FakeClusterAppFactory>
{
    private readonly HttpClient _client;

    public OverviewTimestampTests(FakeClusterAppFactory factory) => _client = factory.CreateClient();

    [Fact]
    public async Task Overview_CarriesTheSnapshotReadTimeInUnixMilliseconds()
    {
        var html = await _client.GetStringAsync("/");

        var match = TakenAt().Match(html);
        Assert.True(match.Success, "no data-taken-at-ms on the snapshot time");
        var takenAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(match.Groups["ms"].Value));
        Assert.InRange(takenAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    // Either attribute order: only the element matters, not how MudBlazor orders its attributes.
    [GeneratedRegex("data-testid=\"snapshot-time\"[^>]*data-taken-at-ms=\"(?<ms>\\d+)\"|data-taken-at-ms=\"(?<ms>\\d+)\"[^>]*data-testid=\"snapshot-time\"")]
    private static partial Regex TakenAt();
}
