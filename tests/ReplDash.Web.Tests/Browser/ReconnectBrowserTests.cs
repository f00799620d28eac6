using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Tests.Infrastructure;

using ReplDash.Web.Tests.Security;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The process stops while a page is open: the page says plainly that the process (and with it the cluster)
/// is not answering, and once the process is back it recovers by itself, without the operator reloading.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact(Timeout = 180_000)]
    public async Task ProcessStopsWhileThePageIsOpen_PageSaysSo_AndRecoversWhenItIsBack()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("reconnect");
        var app = await ReplDashProcess.StartAsync(dataDir);
        ReplDashProcess? restarted = null;
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        try
        {
            await SignInForms.SignInAsync(context, app.BaseAddress);
            var page = await context.NewPageAsync();
            await page.GotoAsync(app.BaseAddress.ToString());
            await page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync();
            var modal = page.GetByTestId("reconnect-modal");
            await Assertions.Expect(modal).ToBeHiddenAsync();

            await app.StopAsync();
            await Assertions.Expect(modal).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(modal).ToContainTextAsync("The ReplDash process is not answering");
            await Assertions.Expect(modal).ToContainTextAsync("reconnects by itself");
            var shots = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "reconnect.png") });

            restarted = await app.RestartAsync();
            // Back by itself: a new process does not know the old circuit, so the page reloads and is live again.
            await Assertions.Expect(modal).ToBeHiddenAsync(new() { Timeout = 60_000 });
            await page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("state-m1")).ToContainTextAsync("running", new() { Timeout = 30_000 });
        }
        finally
        {
            await context.DisposeAsync();
            await app.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }

        Directory.Delete(dataDir, recursive: true);
    }
}
