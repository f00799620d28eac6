using System.Net.Http.Json;
using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

using ReplDash.Web.Tests.Security;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// What an operator does from the dashboard, against the real cluster (m1, s1, s2 in one process) in Chromium:
/// a full resync clicked on a slave's page (confirmed with "Resync") runs to the end and leaves the slave equal
/// to its master; the Nodes grid offers it per slave row; an event raised by a fault appears on the open Events
/// page without a reload, and the pause switch holds the list still.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OperatorActionsBrowserTests : IClassFixture<ClusterAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly string ScreenshotDir = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    private readonly ClusterAppFixture _cluster;
    private readonly IBrowser _browser;
    private readonly List<string> _consoleErrors = [];

    public OperatorActionsBrowserTests(ClusterAppFixture cluster, ChromiumFixture chromium)
    {
        _cluster = cluster;
        _browser = chromium.Browser;
    }

    [Fact(Timeout = 180_000)]
    public async Task FullResync_ClickedOnTheSlavePage_RunsToTheEnd_AndTheSlaveEqualsItsMaster()
    {
        using (var client = await RespTestClient.ConnectAsync(_cluster.Cluster.MasterResp))
        {
            for (var i = 0; i < 2_000; i++)
            {
                Assert.Equal("OK", await client.CallAsync("SET", $"resync:{i}", new string('v', 200)));
            }
        }

        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(_cluster.App.BaseAddress, "nodes/s1").ToString());
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("detail-link-state")).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });
        // Every phase and link state the panel shows, recorded in the page as it changes (a small resync can be
        // over between two polls of a test).
        await page.EvaluateAsync(@"() => {
            window.__resync = [];
            new MutationObserver(() => {
                const panel = document.querySelector('[data-testid=resync-progress]');
                if (panel) window.__resync.push(panel.dataset.phase + '/' + panel.dataset.linkState);
            }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }");

        await page.GetByTestId("detail-resync").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Full resync of s1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resync", Exact = true }).ClickAsync();

        // The outcome through the snackbar, the progress panel, and at the end the panel's outcome.
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Full resync of s1 requested");
        await Assertions.Expect(page.GetByTestId("resync-outcome")).ToContainTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("detail-link-state")).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("resync-s1"), FullPage = true });

        var (master, slave) = await Convergence.CaughtUpDigestsAsync(_cluster.Cluster.MasterResp, _cluster.Cluster.Slave1Resp, TimeSpan.FromSeconds(30));
        Assert.Equal(master, slave);
        await Convergence.WaitForEventAsync(_cluster.App.BaseAddress, "operator-resync", TimeSpan.FromSeconds(10), "s1");
        await Convergence.WaitForEventAsync(_cluster.App.BaseAddress, "full-resync-end", TimeSpan.FromSeconds(10), "s1");

        var seen = await page.EvaluateAsync<string[]>("() => window.__resync");
        Assert.Contains(seen, s => s.StartsWith("requested/", StringComparison.Ordinal) || s.StartsWith("full-resync/", StringComparison.Ordinal)
            || s.StartsWith("receiving/", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.StartsWith("completed/streaming", StringComparison.Ordinal));
        AssertNoConsoleErrors();
    }

    [Fact(Timeout = 180_000)]
    public async Task NodesGrid_OffersFullResyncOnSlaveRowsOnly_BehindAConfirmation()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(_cluster.App.BaseAddress, "nodes").ToString());
        await WaitInteractiveAsync(page);
        await page.GetByTestId("nodes-resync-s2").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("nodes-resync-m1").CountAsync());
        // Lag is a column of the grid, in its three units.
        await Assertions.Expect(page.GetByTestId("nodes-lag-s2")).ToContainTextAsync("items");
        await Assertions.Expect(page.GetByTestId("nodes-lag-s2")).ToContainTextAsync(" B");

        await page.GetByTestId("nodes-resync-s2").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Full resync of s2");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Resync", Exact = true })).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        // Cancelled: no resync was asked for.
        using var http = TestCredentials.Client(_cluster.App.BaseAddress);
        var events = await http.GetFromJsonAsync<EventsResponse>("/api/events?node=s2&kind=operator-resync&take=1");
        Assert.Equal(0, events!.TotalCount);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("nodes-grid"), FullPage = true });
        AssertNoConsoleErrors();
    }

    [Fact(Timeout = 180_000)]
    public async Task EventsPage_ShowsAFaultsEventLive_AndHoldsStillWhilePaused()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(_cluster.App.BaseAddress, "events").ToString());
        await WaitInteractiveAsync(page);
        var rows = page.GetByTestId("events-grid").Locator("tbody tr.event-row");
        await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var s2Downs = rows.Filter(new() { HasText = "link-down" }).Filter(new() { HasText = "s2" });
        var before = await s2Downs.CountAsync();

        try
        {
            await Convergence.ArmFaultAsync(_cluster.App.BaseAddress, "s2", "CutLink");
            // No reload: the page was told the event was stored.
            await Eventually.TrueAsync(async () => await s2Downs.CountAsync() > before, "the new link-down listed without a reload", TimeSpan.FromSeconds(10));
            Assert.Contains("event-trouble", await s2Downs.First.GetAttributeAsync("class") ?? "");
            // The reconnection that follows is recovery, and looks different.
            var ups = rows.Filter(new() { HasText = "link-up" }).First;
            await Assertions.Expect(ups).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("event-recovery"), new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("events-live"), FullPage = true });

            // Paused: new events are counted, not listed, until the switch is back on. Each arming stores a
            // fault-armed event whatever the link is doing, so that is the event watched here.
            var armed = rows.Filter(new() { HasText = "fault-armed" });
            await page.Locator("[data-testid=events-live] input, input[data-testid=events-live]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-switch").Filter(new() { HasText = "Paused" })).ToBeVisibleAsync();
            var listed = await armed.CountAsync();
            await Convergence.ArmFaultAsync(_cluster.App.BaseAddress, "s2", "CutLink");
            await Assertions.Expect(page.GetByTestId("events-missed")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            Assert.Equal(listed, await armed.CountAsync());
            await page.Locator("[data-testid=events-live] input, input[data-testid=events-live]").ClickAsync();
            await Eventually.TrueAsync(async () => await armed.CountAsync() > listed, "the events stored while paused listed once live again", TimeSpan.FromSeconds(10));
        }
        finally
        {
            await Convergence.ClearFaultsAsync(_cluster.App.BaseAddress);
        }

        AssertNoConsoleErrors();
    }

    private async Task<IPage> NewPageAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
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

    private void AssertNoConsoleErrors()
    {
        lock (_consoleErrors)
        {
            Assert.True(_consoleErrors.Count == 0, "browser console errors: " + string.Join(" | ", _consoleErrors));
        }
    }

    private static Task WaitInteractiveAsync(IPage page) => page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync();

    private static string Shot(string name) => Path.Combine(ScreenshotDir, name + ".png");
}
