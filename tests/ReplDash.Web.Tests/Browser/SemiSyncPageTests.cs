using System.Diagnostics;
using Microsoft.Playwright;
using ReplDash.Testing;

using ReplDash.Web.Tests.Security;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The Semi-sync page against a real cluster (m1 and s1 in one process): a switch to OFF shows within a
/// second, with an OFF band on the timeline, and settings changed on the page take effect after confirmation
/// and show on the node's detail page too, in the same words.
/// In the browser collection: its one-second deadline must not share two cores with another cluster, Chromium
/// and redis-benchmark.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SemiSyncPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly string ScreenshotDir = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    [Fact(Timeout = 180_000)]
    public async Task SwitchToOff_ShowsWithinASecond_AndSettingsChangeFromThePage()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 400, Extra = new() { ["ReplDash__Faults__Enabled"] = "true" } };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        await SignInForms.SignInAsync(context, app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "semisync").ToString());
        var status = page.GetByTestId("semisync-status-m1");
        await Assertions.Expect(status).ToHaveTextAsync("ON", new() { Timeout = 30_000 });

        // Held acks: the write waits out the 400 ms timeout, which switches semi-sync OFF just before answering.
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await client.CallAsync("SET", "k", "v"));
        var sinceSwitch = Stopwatch.StartNew();
        await Assertions.Expect(status).ToHaveTextAsync("OFF", new() { Timeout = 1_000 });
        Assert.True(sinceSwitch.ElapsedMilliseconds < 1_000, $"OFF showed {sinceSwitch.ElapsedMilliseconds} ms after the switch");
        await Assertions.Expect(page.GetByTestId("semisync-timeline-m1").Locator("rect[data-on=false]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("semisync-last-switch-m1")).ToContainTextAsync("timeout");
        await Assertions.Expect(page.GetByTestId("semisync-no-times-m1")).ToHaveTextAsync("1");

        // Change the timeout on the page: confirmation dialog, then the running value and an event.
        var timeout = page.Locator("[data-testid=semisync-input-timeout-m1] input, input[data-testid=semisync-input-timeout-m1]");
        await timeout.FillAsync("5000");
        await timeout.PressAsync("Tab");
        await page.GetByTestId("semisync-apply-m1").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("semisync-timeout-m1")).ToHaveTextAsync("5 s");
        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal("5000", info["rpl_semi_sync_master_timeout"]);
        await Convergence.WaitForEventAsync(app.BaseAddress, "semisync-config", TimeSpan.FromSeconds(10), "m1", "dashboard");

        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "semisync.png"), FullPage = true });

        // The node's detail page shows the same facts, spelled the same: the wait point as INFO reports it.
        await Assertions.Expect(page.GetByTestId("semisync-wait-point-m1")).ToHaveTextAsync(info["rpl_semi_sync_master_wait_point"]);
        await page.GotoAsync(new Uri(app.BaseAddress, "nodes/m1").ToString());
        await Assertions.Expect(page.GetByTestId("semisync-panel").GetByTestId("semisync-wait-point-m1")).ToHaveTextAsync("AFTER_SYNC", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("semisync-timeout-m1")).ToHaveTextAsync("5 s");
        await Assertions.Expect(page.GetByTestId("semisync-no-times-m1")).ToHaveTextAsync("1");
        await context.CloseAsync();
    }
}
