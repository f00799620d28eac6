using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

using ReplDash.Web.Tests.Security;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The live operations views against the real three-node cluster (m1, s1, s2 in one process), in Chromium:
/// the Overview follows redis-benchmark, turns a cut link red within the link timeout, and the Node detail
/// page draws the sync window and ack latency. Screenshots land in artifacts/screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OperationsDashboardBrowserTests : IClassFixture<ClusterAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly string ScreenshotDir = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    // What the issue asks of the Overview under load.
    private static readonly TimeSpan FollowDeadline = TimeSpan.FromSeconds(2);

    private readonly ClusterAppFixture _cluster;
    private readonly IBrowser _browser;

    // Errors the pages logged in the browser console (a circuit that crashed logs one and stops updating).
    private readonly List<string> _consoleErrors = [];

    public OperationsDashboardBrowserTests(ClusterAppFixture cluster, ChromiumFixture chromium)
    {
        _cluster = cluster;
        _browser = chromium.Browser;
    }

    [Fact(Timeout = 180_000)]
    public async Task Overview_UnderRedisBenchmark_ShowsRolesAndMovesM1BinlogAndSlaveAppliedWithinTwoSeconds()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_cluster.App.BaseAddress.ToString());
        await WaitForTextAsync(page.GetByTestId("role-m1"), "master");
        await WaitForTextAsync(page.GetByTestId("role-s1"), "slave");
        await WaitForTextAsync(page.GetByTestId("role-s2"), "slave");
        await page.GetByTestId("topology-node-m1").WaitForAsync();
        await WaitForHealthAsync(page, "s1", "green", Eventually.DefaultTimeout);
        await WaitForHealthAsync(page, "s2", "green", Eventually.DefaultTimeout);

        string[] watched = ["binlog-end-m1", "applied-s1", "applied-s2"];
        var before = new Dictionary<string, string>();
        foreach (var id in watched)
        {
            before[id] = await page.GetByTestId(id).InnerTextAsync();
        }

        var serverBefore = await LogicalOffsetAsync("m1");
        await using (var load = BenchmarkLoad.Start(_cluster.Cluster.MasterResp))
        {
            // The clock starts once the server has taken writes: what is measured is the dashboard, not process start.
            await Eventually.TrueAsync(async () => await LogicalOffsetAsync("m1") > serverBefore, "redis-benchmark's first writes on m1");
            var clock = Stopwatch.StartNew();
            foreach (var id in watched)
            {
                var locator = page.GetByTestId(id);
                await Eventually.TrueAsync(async () => await locator.InnerTextAsync() != before[id], $"{id} to move past {before[id]}",
                    FollowDeadline - clock.Elapsed);
            }

            Assert.True(clock.Elapsed <= FollowDeadline, $"the Overview took {clock.Elapsed} to follow the writes");
            Assert.True(load.IsRunning, "redis-benchmark stopped by itself");
            Assert.Equal("master", (await page.GetByTestId("role-m1").TextContentAsync())?.Trim());

            // The whole cluster at work, for the docs: wait for the sparkline to have something to draw.
            await Eventually.TrueAsync(async () => int.Parse(await page.GetByTestId("write-rate-sparkline").GetAttributeAsync("data-points") ?? "0") > 2
                && await page.GetByTestId("write-rate").InnerTextAsync() != "0 B/s", "a write rate under load");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("overview-cluster") });
        }

        AssertNoConsoleErrors();
    }

    [Fact(Timeout = 180_000)]
    public async Task Overview_CutS2Link_TurnsS2RedWithinLinkTimeout()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_cluster.App.BaseAddress.ToString());
        await WaitForHealthAsync(page, "s2", "green", Eventually.DefaultTimeout);

        try
        {
            // Cut, and keep cutting every reconnection: s2 does not replicate until the fault is cleared.
            await Convergence.ArmFaultAsync(_cluster.App.BaseAddress, "s2", "CutLink", count: 1000);
            await WaitForHealthAsync(page, "s2", "red", ClusterAppFixture.LinkTimeout);
            Assert.Equal("red", await page.GetByTestId("topology-edge-s2").GetAttributeAsync("data-health"));
            Assert.Equal("green", await page.GetByTestId("health-s1").GetAttributeAsync("data-health"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("overview-link-cut"), FullPage = true });
        }
        finally
        {
            await Convergence.ClearFaultsAsync(_cluster.App.BaseAddress);
        }

        // Other tests of this class share the cluster: leave s2 streaming again.
        await WaitForHealthAsync(page, "s2", "green", TimeSpan.FromSeconds(30));
        AssertNoConsoleErrors();
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeDetail_OfS1_ShowsSyncWindowAndAckLatencyChartWithData()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_cluster.App.BaseAddress.ToString());
        await WaitForHealthAsync(page, "s1", "green", Eventually.DefaultTimeout);
        // A link clicked while the circuit is still starting races Blazor's own navigation; click once it runs.
        await WaitInteractiveAsync(page);
        await page.GetByTestId("node-link-s1").ClickAsync();
        await page.WaitForURLAsync("**/nodes/s1");
        await WaitInteractiveAsync(page);

        await using (BenchmarkLoad.Start(_cluster.Cluster.MasterResp))
        {
            var window = page.GetByTestId("window-s1");
            await Eventually.TrueAsync(async () => int.TryParse(await window.GetAttributeAsync("data-last-ack-items"), out var items) && items > 0,
                "an ack on the sync window bar of s1");
            Assert.Equal(9000, int.Parse((await window.GetAttributeAsync("data-capacity-items"))!));
            await page.GetByTestId("window-bar-items-s1").WaitForAsync();
            await page.GetByTestId("window-bar-bytes-s1").WaitForAsync();

            var latency = page.GetByTestId("chart-ack-latency");
            await Eventually.TrueAsync(async () => int.Parse(await latency.GetAttributeAsync("data-points") ?? "0") > 2, "ack latency points");
            Assert.True(await latency.Locator("svg").CountAsync() > 0, "the ack latency chart drew no svg");
            var histogram = page.GetByTestId("chart-ack-histogram");
            await Eventually.TrueAsync(async () => double.Parse(await histogram.GetAttributeAsync("data-count") ?? "0") > 0, "acks in the histogram");
            await Eventually.TrueAsync(async () => int.Parse(await page.GetByTestId("chart-positions").GetAttributeAsync("data-points") ?? "0") > 2,
                "points on the positions chart");
            await Eventually.TrueAsync(async () => int.Parse(await page.GetByTestId("chart-apply-time").GetAttributeAsync("data-points") ?? "0") > 0,
                "apply times of s1");
            // The slow-apply threshold is marked on the chart (the engine's default, 1 s).
            Assert.Equal("1000", await page.GetByTestId("chart-apply-time").GetAttributeAsync("data-threshold-ms"));
        }

        Assert.Equal(0, await page.GetByTestId("window-alert-s1").CountAsync());

        // The last hour comes from the store (what survives a restart), not from memory.
        await page.GetByTestId("range-select").GetByText("1 hour").ClickAsync();
        await Eventually.TrueAsync(async () => (await page.GetByTestId("range-samples").InnerTextAsync()).StartsWith("0 ", StringComparison.Ordinal) is false
            && int.Parse(await page.GetByTestId("chart-positions").GetAttributeAsync("data-points") ?? "0") > 0, "stored samples of the last hour");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("node-s1"), FullPage = true });
        await TallScreenshotAsync(page, "node-s1-full");

        await page.GotoAsync(new Uri(_cluster.App.BaseAddress, "nodes/m1").ToString());
        await page.GetByTestId("window-s2").WaitForAsync();
        await page.GetByTestId("position-acked-s1").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("node-m1"), FullPage = true });
        await TallScreenshotAsync(page, "node-m1-full");
        AssertNoConsoleErrors();
    }

    [Fact(Timeout = 180_000)]
    public async Task ThemeToggle_SwitchesToDark_AndIsRememberedAfterReload()
    {
        // A browser that prefers light: the first visit follows it.
        var page = await NewPageAsync(ColorScheme.Light);
        await page.GotoAsync(_cluster.App.BaseAddress.ToString());
        // A click before the circuit connects would do nothing.
        await WaitInteractiveAsync(page);
        var root = page.GetByTestId("page-root");
        Assert.Equal("light", await root.GetAttributeAsync("data-theme"));
        Assert.Equal("browser", await root.GetAttributeAsync("data-theme-source"));

        await page.GetByTestId("theme-toggle").ClickAsync();
        await Eventually.TrueAsync(async () => await root.GetAttributeAsync("data-theme") == "dark", "the dark theme");

        // The cookie is written from the browser after the switch; reload only once it is there.
        await Eventually.TrueAsync(async () => (await page.Context.CookiesAsync()).Any(c => c.Name == "ReplDashTheme" && c.Value == "dark"),
            "the theme cookie");
        var response = await page.ReloadAsync();
        // In the first HTML already (no light flash), not only after the circuit connects: the palette and the marker.
        var html = await response!.TextAsync();
        Assert.Contains("data-theme=\"dark\"", html, StringComparison.Ordinal);
        Assert.Contains("data-theme-source=\"cookie\"", html, StringComparison.Ordinal);
        await WaitInteractiveAsync(page);
        Assert.Equal("dark", await page.GetByTestId("page-root").GetAttributeAsync("data-theme"));
        // MudBlazor's palette really is the dark one: the page background is dark.
        Assert.True(await BackgroundLuminanceAsync(page) < 0.3, "the dark theme's background is not dark");
        await WaitForTextAsync(page.GetByTestId("role-m1"), "master");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("overview-dark"), FullPage = true });
        AssertNoConsoleErrors();
    }

    [Fact(Timeout = 180_000)]
    public async Task FirstVisit_FollowsTheBrowsersDarkPreference_UntilTheOperatorChooses()
    {
        var page = await NewPageAsync(ColorScheme.Dark);
        await page.GotoAsync(_cluster.App.BaseAddress.ToString());
        await WaitInteractiveAsync(page);
        var root = page.GetByTestId("page-root");
        await Eventually.TrueAsync(async () => await root.GetAttributeAsync("data-theme") == "dark", "the browser's dark preference");
        Assert.Equal("browser", await root.GetAttributeAsync("data-theme-source"));
        Assert.True(await BackgroundLuminanceAsync(page) < 0.3, "the dark preference did not give a dark background");

        // The operator picks light: it wins over the browser's preference, after a reload too.
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Eventually.TrueAsync(async () => await root.GetAttributeAsync("data-theme") == "light", "the light theme");
        await Eventually.TrueAsync(async () => (await page.Context.CookiesAsync()).Any(c => c.Name == "ReplDashTheme" && c.Value == "light"), "the theme cookie");
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        Assert.Equal("light", await page.GetByTestId("page-root").GetAttributeAsync("data-theme"));
        Assert.True(await BackgroundLuminanceAsync(page) > 0.7, "the light choice did not give a light background");
        AssertNoConsoleErrors();
    }

    // Relative luminance (0 black .. 1 white) of the main content's computed background colour.
    private static async Task<double> BackgroundLuminanceAsync(IPage page)
    {
        var rgb = await page.EvaluateAsync<double[]>(@"() => {
            for (const el of [document.querySelector('.mud-main-content'), document.querySelector('.mud-layout'), document.body, document.documentElement]) {
                if (!el) continue;
                const m = getComputedStyle(el).backgroundColor.match(/[\d.]+/g).map(Number);
                if (m.length < 4 || m[3] > 0) return [m[0], m[1], m[2]];
            }
            return [255, 255, 255];
        }");
        return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    }

    // 1280×720: the smallest screen the dashboard promises to be usable on.
    private async Task<IPage> NewPageAsync(ColorScheme colorScheme = ColorScheme.Light)
    {
        Directory.CreateDirectory(ScreenshotDir);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
            ColorScheme = colorScheme,
        });
        await SignInForms.SignInAsync(context, _cluster.App.BaseAddress);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        return page;
    }

    // The layout scrolls inside its body, so a full-page shot is only the viewport: a tall one shows the whole page.
    private static async Task TallScreenshotAsync(IPage page, string name)
    {
        var viewport = page.ViewportSize!;
        await page.SetViewportSizeAsync(viewport.Width, 2000);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot(name) });
        await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
    }

    private void AssertNoConsoleErrors()
    {
        lock (_consoleErrors)
        {
            Assert.True(_consoleErrors.Count == 0, "browser console errors: " + string.Join(" | ", _consoleErrors));
        }
    }

    private static Task WaitInteractiveAsync(IPage page) => page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync();

    private static Task WaitForHealthAsync(IPage page, string nodeId, string colour, TimeSpan timeout) =>
        Eventually.TrueAsync(async () => await page.GetByTestId($"health-{nodeId}").GetAttributeAsync("data-health") == colour,
            $"{nodeId} to turn {colour}", timeout);

    // TextContent rather than InnerText: badges uppercase their text with CSS.
    private static Task WaitForTextAsync(ILocator locator, string expected) =>
        Eventually.TrueAsync(async () => (await locator.TextContentAsync() ?? "").Contains(expected, StringComparison.Ordinal), $"'{expected}'");

    private async Task<long> LogicalOffsetAsync(string nodeId)
    {
        using var http = TestCredentials.Client(_cluster.App.BaseAddress);
        var cluster = await http.GetFromJsonAsync<ClusterResponse>("api/cluster");
        return cluster!.Nodes.Single(n => n.Id == nodeId).LogicalOffset;
    }

    private static string Shot(string name) => Path.Combine(ScreenshotDir, name + ".png");
}
