using System.Net;
using System.Text.Json;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests;

/// <summary>The HTTP surface in-process: health, JSON API, static assets, prerendered pages.</summary>
public sealed class DashboardEndpointTests : IClassFixture<FakeClusterAppFactory>
{
    private readonly FakeClusterAppFactory _factory;
    private readonly HttpClient _client;

    public DashboardEndpointTests(FakeClusterAppFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Healthz_AnswersOk()
    {
        var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ClusterApi_ListsEveryNodeWithPositionsAsStringAndSplit()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/api/cluster"));

        var nodes = json.RootElement.GetProperty("nodes");
        Assert.Equal(2, nodes.GetArrayLength());

        var m1 = nodes[0];
        Assert.Equal("m1", m1.GetProperty("id").GetString());
        Assert.Equal("master", m1.GetProperty("role").GetString());
        Assert.Equal("running", m1.GetProperty("state").GetString());
        Assert.Equal(6390, m1.GetProperty("respPort").GetInt32());
        Assert.Equal("binlog.000003:4096", m1.GetProperty("binlogEnd").GetString());
        Assert.Equal("binlog.000003", m1.GetProperty("binlogEndFile").GetString());
        Assert.Equal(4096, m1.GetProperty("binlogEndOffset").GetInt64());
        Assert.Equal("binlog.000003:2048", m1.GetProperty("durable").GetString());
        Assert.Equal("binlog.000003", m1.GetProperty("durableFile").GetString());
        Assert.Equal(2048, m1.GetProperty("durableOffset").GetInt64());
        Assert.Equal(123_456, m1.GetProperty("logicalOffset").GetInt64());
        Assert.Equal(1_234, m1.GetProperty("keyCount").GetInt64());
        Assert.Equal(JsonValueKind.Object, m1.GetProperty("keysByDatabase").ValueKind);
        Assert.Equal(1_234.6, m1.GetProperty("opsPerSecond").GetDouble());
        Assert.Equal(JsonValueKind.Null, m1.GetProperty("lastError").ValueKind);

        Assert.Equal("disk full", nodes[1].GetProperty("lastError").GetString());
    }

    [Theory]
    [InlineData("/css/app.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("/js/reconnect.js")]
    [InlineData("/_framework/blazor.web.js")]
    public async Task StaticAsset_IsServed(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0, $"{path} is empty");
    }

    [Fact]
    public async Task Overview_PrerendersEveryNodesPositionsAndLoad()
    {
        var html = await _client.GetStringAsync("/");

        Assert.Contains("data-testid=\"binlog-end-m1\">binlog.000003:4096<", html);
        Assert.Contains("data-testid=\"durable-m1\">binlog.000003:2048<", html);
        Assert.Contains("1.2k ops/s", html);
        Assert.Contains("data-testid=\"binlog-end-s1\"", html);
        Assert.Contains("disk full", html);
    }

    [Theory]
    [InlineData("/nodes", "nodes-grid")]
    [InlineData("/consistency", "checks-grid")]
    [InlineData("/events", "events-grid")]
    [InlineData("/settings", "settings-grid")]
    public async Task Page_Renders(string path, string testId)
    {
        var html = await _client.GetStringAsync(path);

        Assert.Contains($"data-testid=\"{testId}\"", html);
    }

    [Fact]
    public async Task Settings_ShowsEffectiveValuesAndMasksSecrets()
    {
        var html = await _client.GetStringAsync("/settings");

        Assert.Contains(_factory.DataDir, html);
        Assert.Contains(FakeClusterAppFactory.SecretSettingKey, html);
        Assert.DoesNotContain(FakeClusterAppFactory.SecretSettingValue, html);
        Assert.Contains("******", html);
    }
}
