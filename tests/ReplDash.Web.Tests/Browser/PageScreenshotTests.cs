using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Tests.Consistency;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// Every page renders in both themes over the real cluster under load, with no browser console error, and is
/// photographed (artifacts/screenshots/pages/&lt;page&gt;-&lt;theme&gt;.png). With REPLDASH_UPDATE_DOCS_SCREENSHOTS=1 the
/// pictures go to docs/screenshots/ instead (the README shows the Overview), so that a plain test run leaves the
/// work tree as it found it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageScreenshotTests : IClassFixture<ClusterAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly string DocsShots = Environment.GetEnvironmentVariable("REPLDASH_UPDATE_DOCS_SCREENSHOTS") == "1"
        ? Path.Combine(RepositoryPaths.Root, "docs", "screenshots")
        : Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", "pages");

    // Each page and what shows it is ready (rendered with data, not a skeleton).
    private static readonly (string Name, string Path, string Ready)[] Pages =
    [
        ("overview", "", "topology-node-s2"),
        ("nodes", "nodes", "nodes-binlog-end-m1"),
        ("node-m1", "nodes/m1", "window-s1"),
        ("node-s1", "nodes/s1", "lag-panel"),
        ("consistency", "consistency", "checks-grid"),
        ("consistency-run", "consistency/{run}", "check-summary"),
        ("semisync", "semisync", "semisync-status-m1"),
        ("events", "events", "events-grid"),
        ("settings", "settings", "running-settings"),
    ];

    private readonly ClusterAppFixture _cluster;
    private readonly IBrowser _browser;

    public PageScreenshotTests(ClusterAppFixture cluster, ChromiumFixture chromium)
    {
        _cluster = cluster;
        _browser = chromium.Browser;
    }

    [Theory(Timeout = 300_000)]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryPage_RendersInTheTheme_AndIsPhotographed(string theme)
    {
        Directory.CreateDirectory(DocsShots);
        var errors = new List<string>();
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        // The operator's remembered choice, as the toggle writes it.
        await context.AddCookiesAsync([new Cookie { Name = "ReplDashTheme", Value = theme, Url = _cluster.App.BaseAddress.ToString() }]);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };

        try
        {
            // A finished check with a difference to show: one key set on s1 behind replication's back.
            var runId = await CheckWithADifferenceAsync();

            // The cluster at work, so charts, rates and lag have something to show.
            await using var load = BenchmarkLoad.Start(_cluster.Cluster.MasterResp);
            await page.GotoAsync(_cluster.App.BaseAddress.ToString());
            await Eventually.TrueAsync(async () => int.Parse(await page.GetByTestId("write-rate-sparkline").GetAttributeAsync("data-points") ?? "0") > 5,
                "a few seconds of write rate");
            foreach (var (name, path, ready) in Pages)
            {
                await page.GotoAsync(new Uri(_cluster.App.BaseAddress, path.Replace("{run}", runId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToString());
                await page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync();
                await page.GetByTestId(ready).First.WaitForAsync();
                Assert.Equal(theme, await page.GetByTestId("page-root").GetAttributeAsync("data-theme"));
                if (name == "node-s1")
                {
                    await Eventually.TrueAsync(async () => int.Parse(await page.GetByTestId("chart-lag").GetAttributeAsync("data-points") ?? "0") > 2, "lag points");
                }

                if (name == "consistency")
                {
                    await page.GetByTestId($"checks-run-{runId}").WaitForAsync();
                }

                if (name == "consistency-run")
                {
                    await page.GetByTestId("check-finding-key").First.WaitForAsync();
                }

                if (name == "events")
                {
                    await page.Locator("tr.event-row").First.WaitForAsync();
                }

                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DocsShots, $"{name}-{theme}.png"), FullPage = true });
            }
        }
        finally
        {
            await context.DisposeAsync();
        }

        Assert.True(errors.Count == 0, "browser console errors: " + string.Join(" | ", errors));
    }

    // Some keys on every node, then two differences on s1 behind replication's back: a value and a key only s1 has.
    private async Task<long> CheckWithADifferenceAsync()
    {
        using (var master = await RespTestClient.ConnectAsync(_cluster.Cluster.MasterResp))
        {
            var keys = Enumerable.Range(0, 500).SelectMany(i => new[] { $"screenshot:{i}", $"value-{i}" });
            Assert.Equal("OK", await master.CallAsync(["MSET", .. keys]));
        }

        await Convergence.CaughtUpDigestsAsync(_cluster.Cluster.MasterResp, _cluster.Cluster.Slave1Resp, ChecksApi.Deadline);
        using (var s1 = await RespTestClient.ConnectAsync(_cluster.Cluster.Slave1Resp))
        {
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "screenshot:7", "changed-on-s1"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "screenshot:only-on-s1", "differs"));
        }

        using var http = new HttpClient { BaseAddress = _cluster.App.BaseAddress };
        var runId = await ChecksApi.StartAsync(http);
        var run = await ChecksApi.WaitDoneAsync(http, runId);
        Assert.Contains(("s1", "screenshot:only-on-s1", "MissingOnMaster"), ChecksApi.Findings(run));
        return runId;
    }
}
