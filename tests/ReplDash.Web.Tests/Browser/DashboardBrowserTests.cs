using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The real app as a child process, watched through Chromium: the dashboard follows writes made over
/// RESP without a reload, and every page renders (screenshots land in artifacts/screenshots/).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests : IClassFixture<AppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly string ScreenshotDir = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    // Keys the screenshot writer cycles through; the Overview is captured once they all exist.
    private const int ShotKeyCount = 300;

    private readonly ReplDashProcess _app;
    private readonly IBrowser _browser;

    public DashboardBrowserTests(AppFixture app, ChromiumFixture chromium)
    {
        _app = app.App;
        _browser = chromium.Browser;
    }

    [Fact(Timeout = 180_000)] // a hang in the browser becomes a failure, never a stuck run
    public async Task Overview_AfterWritesOverResp_ShowsNewBinlogEndWithoutReload()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_app.BaseAddress.ToString());
        var binlogEnd = page.GetByTestId("binlog-end-m1");
        var before = await binlogEnd.InnerTextAsync();

        await WriteKeysAsync("live", count: 20);

        var after = await Eventually.GetAsync(
            async () => await binlogEnd.InnerTextAsync() is var text && text != before ? text : null,
            $"binlog-end-m1 to move past {before}");
        Assert.True(Parse(after) > Parse(before), $"{after} is not after {before}");
        Assert.Equal(page.Url, _app.BaseAddress.ToString()); // no navigation happened: the circuit pushed it
    }

    [Fact(Timeout = 180_000)] // a hang in the browser becomes a failure, never a stuck run
    public async Task EveryPage_RendersFromSidebar_AndIsScreenshotted()
    {
        Directory.CreateDirectory(ScreenshotDir);
        var page = await NewPageAsync();
        await page.GotoAsync(_app.BaseAddress.ToString());
        await WaitForTextAsync(page.GetByTestId("state-m1"), "running");

        // Under load, so the Overview (and the README's picture of it) shows a node at work, not zeros.
        using (var load = new CancellationTokenSource())
        {
            // On its own thread: RespTestClient reads block, and on loopback the connect and the sends can all
            // complete synchronously, so the loop would otherwise run on this thread and never hand back its task.
            var writer = Task.Run(() => WriteUntilCancelledAsync("shot", load.Token));
            try
            {
                var keyCount = page.GetByTestId("key-count-m1");
                await Eventually.TrueAsync(async () => long.TryParse(await keyCount.GetAttributeAsync("title"), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var keys) && keys >= ShotKeyCount, $"{ShotKeyCount} keys on the Overview");
                await Eventually.TrueAsync(async () => await page.GetByTestId("ops-m1").InnerTextAsync() != "0 ops/s", "load on the Overview");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("overview"), FullPage = true, Timeout = 30_000 });
            }
            finally
            {
                // Whatever happened above, the writer stops: a failure must not leave load running.
                await load.CancelAsync();
                await writer;
            }
        }

        await OpenFromSidebarAsync(page, "nodes", "nodes-binlog-end-m1");
        Assert.Equal(_app.RespPort.ToString(), await page.GetByTestId("nodes-resp-port-m1").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("nodes"), FullPage = true });

        // The node's detail page, linked from the grid: positions as numbers and over time, and its events.
        await page.GetByTestId("nodes-id-m1").ClickAsync();
        await page.WaitForURLAsync("**/nodes/m1");
        await page.GetByTestId("position-binlog-end").WaitForAsync();
        // The page shows the notifier's latest snapshot (polled every 250 ms) while the API reads fresh, so the page
        // may still hold the snapshot from before the writer's last SETs: wait for its live update to agree.
        var pageBinlogEnd = page.GetByTestId("position-binlog-end-value");
        await Eventually.TrueAsync(async () => await pageBinlogEnd.InnerTextAsync() == await ApiBinlogEndAsync("m1"),
            "the detail page's binlog end to match the API's");
        await Eventually.TrueAsync(async () => int.Parse(await page.GetByTestId("chart-positions").GetAttributeAsync("data-points") ?? "0") > 0, "points on the positions chart");
        await WaitForTextAsync(page.GetByTestId("node-events"), "node-start");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("node-detail"), FullPage = true });

        await OpenFromSidebarAsync(page, "consistency", "checks-grid");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("consistency"), FullPage = true });

        await OpenFromSidebarAsync(page, "events", "events-grid");
        await WaitForTextAsync(page.GetByTestId("events-grid"), "node-start");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("events"), FullPage = true });

        await OpenFromSidebarAsync(page, "settings", "settings-grid");
        await WaitForTextAsync(page.GetByTestId("setting-ReplDash:DataDir"), _app.DataDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("settings"), FullPage = true });
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    private static async Task OpenFromSidebarAsync(IPage page, string name, string readyTestId)
    {
        await page.GetByTestId($"nav-{name}").ClickAsync();
        await page.WaitForURLAsync($"**/{name}");
        await page.GetByTestId(readyTestId).WaitForAsync();
    }

    // TextContent rather than InnerText: badges uppercase their text with CSS.
    private static Task WaitForTextAsync(ILocator locator, string expected) =>
        Eventually.TrueAsync(async () => (await locator.TextContentAsync() ?? "").Contains(expected, StringComparison.Ordinal), $"'{expected}'");

    private async Task WriteKeysAsync(string prefix, int count)
    {
        using var client = await RespTestClient.ConnectAsync(_app.RespPort);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal("OK", await client.CallAsync("SET", $"{prefix}:{i}", $"value-{i}"));
        }
    }

    private async Task WriteUntilCancelledAsync(string prefix, CancellationToken cancellationToken)
    {
        using var client = await RespTestClient.ConnectAsync(_app.RespPort);
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            Assert.Equal("OK", await client.CallAsync("SET", $"{prefix}:{i % ShotKeyCount}", $"value-{i}"));
        }
    }

    private async Task<string> ApiBinlogEndAsync(string nodeId)
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        var cluster = await http.GetFromJsonAsync<ReplDash.Web.Api.ClusterResponse>("api/cluster");
        return cluster!.Nodes.Single(n => n.Id == nodeId).BinlogEnd;
    }

    private static string Shot(string pageName) => Path.Combine(ScreenshotDir, pageName + ".png");

    // "binlog.000001:4096" as the Overview prints it.
    private static BinlogPosition Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        Assert.True(BinlogFileNames.TryParseSegmentName(text[..colon], out var file), $"not a position: {text}");
        return new BinlogPosition(file, long.Parse(text[(colon + 1)..]));
    }
}
