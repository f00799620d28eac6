using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Tests.Security;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// Who may act, in Chromium against the real cluster (m1, s1, s2 in one process): an Operator adds a Viewer on the
/// Users page; signed in as that Viewer no action button is enabled, the Users page is closed and the API refuses
/// the Viewer's cookie; signed in as the Operator a resync runs and its event names who asked.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessBrowserTests(ClusterAppFixture cluster, ChromiumFixture chromium) : IClassFixture<ClusterAppFixture>, IClassFixture<ChromiumFixture>
{
    private Uri BaseAddress => cluster.App.BaseAddress;

    [Fact(Timeout = 180_000)]
    public async Task SignedInAsAViewer_NoActionIsPossible()
    {
        const string viewer = "viewer-in-browser", password = "viewer-browser-password-1";
        await using (var admin = await chromium.Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } }))
        {
            await SignInForms.SignInAsync(admin, BaseAddress);
            var page = await admin.NewPageAsync();
            await page.GotoAsync(new Uri(BaseAddress, "users").ToString());
            await WaitInteractiveAsync(page);
            await page.GetByLabel("New user name").FillAsync(viewer);
            await page.GetByLabel("Password (12+ characters)").FillAsync(password);
            await page.GetByTestId("add-user").ClickAsync();
            await Assertions.Expect(page.GetByTestId($"user-{viewer}")).ToContainTextAsync("Viewer");
        }

        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await SignInForms.SignInAsync(context, BaseAddress, viewer, password);
        var viewerPage = await context.NewPageAsync();
        await viewerPage.GotoAsync(new Uri(BaseAddress, "nodes/s1").ToString());
        await WaitInteractiveAsync(viewerPage);
        await Assertions.Expect(viewerPage.GetByTestId("signed-in-user")).ToContainTextAsync($"{viewer} (Viewer)");
        await Assertions.Expect(viewerPage.GetByTestId("detail-link-state")).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });
        await Assertions.Expect(viewerPage.GetByTestId("detail-resync")).ToBeDisabledAsync();
        await Assertions.Expect(viewerPage.GetByTestId("clear-faults")).ToBeDisabledAsync();
        Assert.Equal(0, await viewerPage.GetByTestId("nav-users").CountAsync());

        await viewerPage.GotoAsync(new Uri(BaseAddress, "nodes").ToString());
        await WaitInteractiveAsync(viewerPage);
        await viewerPage.GetByTestId("nodes-resync-s2").WaitForAsync();
        var buttons = viewerPage.Locator("[data-testid=page-root] button:has-text('Full resync'), [data-testid=page-root] button:has-text('Clear faults')");
        Assert.True(await buttons.CountAsync() >= 3, $"{await buttons.CountAsync()} action buttons on the Nodes page");
        foreach (var button in await buttons.AllAsync())
            await Assertions.Expect(button).ToBeDisabledAsync();

        // The Users page and the API's writes are closed to the Viewer's cookie too.
        var users = await viewerPage.GotoAsync(new Uri(BaseAddress, "users").ToString());
        Assert.Equal(403, users!.Status);
        var resync = await context.APIRequest.PostAsync(new Uri(BaseAddress, "api/nodes/s1/resync").ToString());
        Assert.Equal(403, resync.Status);
        var read = await context.APIRequest.GetAsync(new Uri(BaseAddress, "api/cluster").ToString());
        Assert.Equal(200, read.Status);
    }

    [Fact(Timeout = 180_000)]
    public async Task SignedInAsAnOperator_AResyncRuns_AndItsEventNamesWhoAsked()
    {
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await SignInForms.SignInAsync(context, BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(BaseAddress, "nodes/s1").ToString());
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("admin (Operator)");
        await Assertions.Expect(page.GetByTestId("detail-link-state")).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });

        await page.GetByTestId("detail-resync").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resync", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Full resync of s1 requested");
        await Assertions.Expect(page.GetByTestId("resync-outcome")).ToContainTextAsync("Completed", new() { Timeout = 60_000 });

        string events = await Convergence.WaitForEventAsync(BaseAddress, "operator-resync", TimeSpan.FromSeconds(10), "s1", "requested by dashboard (admin)");
        Assert.Contains("requested by dashboard (admin)", events);

        // Signing out from the app bar ends the session: the next page load goes to the sign-in page.
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        var after = await context.APIRequest.GetAsync(new Uri(BaseAddress, "api/cluster").ToString());
        Assert.Equal(401, after.Status);
    }

    private static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });
}
