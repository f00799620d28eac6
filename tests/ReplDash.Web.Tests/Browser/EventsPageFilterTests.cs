using System.Net.Http.Json;
using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Events;
using ReplDash.Web.Tests.Infrastructure;

using ReplDash.Web.Tests.Security;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The Events page in Chromium over the real embedded cluster (m1, s1, s2 in one process): after s2's link
/// is cut through the fault API, filtering by node and kind lists that link-down event and nothing else, the
/// page's CSV export downloads the same rows, and a time range after the event lists nothing.
/// In the browser collection: a three-node cluster plus Chromium beside the other browser classes would starve
/// their two-second deadlines (and its own 2 s link timeout).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EventsPageFilterTests : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly IBrowser _browser;
    private ReplDashProcess? _app;

    public EventsPageFilterTests(ChromiumFixture chromium) => _browser = chromium.Browser;

    private ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        (_, _app) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { LinkTimeoutSeconds = 2, Extra = { ["ReplDash__Faults__Enabled"] = "true" } },
            "m1,s1,s2", cluster => cluster.Slave2Resp);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact(Timeout = 180_000)] // a hang in the browser becomes a failure, never a stuck run
    public async Task LinkDownOfS2_FilteredByNodeKindAndTime_IsListedAloneAndExported()
    {
        using var http = TestCredentials.Client(App.BaseAddress);
        await Eventually.TrueAsync(async () => await CountAsync(http, "s2", "link-up") > 0, "s2 linked to m1");
        await Convergence.ArmFaultAsync(App.BaseAddress, "s2", "CutLink");
        await Eventually.TrueAsync(async () => await CountAsync(http, "s2", "link-down") > 0, "s2's link-down event stored");

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        try
        {
            await SignInForms.SignInAsync(context, App.BaseAddress);
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(App.BaseAddress, "events").ToString());
            var rows = page.GetByTestId("events-grid").Locator("tbody tr.event-row");

            // Unfiltered, other nodes' events are listed too: otherwise the filter below would prove nothing.
            await Eventually.TrueAsync(async () => (await ColumnAsync(rows, 2)).Contains("m1"), "m1's events listed before filtering");

            await ChooseAsync(page, "events-node-filter", "s2");
            await ChooseAsync(page, "events-kind-filter", "link-down");

            var expected = await CountAsync(http, "s2", "link-down");
            await Eventually.TrueAsync(async () =>
            {
                var nodes = await ColumnAsync(rows, 2);
                var kinds = await ColumnAsync(rows, 3);
                return nodes.Count == expected && nodes.All(n => n == "s2") && kinds.All(k => k == "link-down");
            }, $"only s2's {expected} link-down event(s) listed");
            Assert.Contains("down", await rows.First.Locator("td").Nth(3).TextContentAsync());
            var shots = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "events-filtered.png"), FullPage = true });

            var export = page.GetByTestId("events-export-csv");
            Assert.Equal("/api/events.csv?node=s2&kind=link-down", await export.GetAttributeAsync("href"));
            var download = await page.RunAndWaitForDownloadAsync(() => export.ClickAsync());
            var records = CsvTestReader.Read(await File.ReadAllTextAsync(await download.PathAsync()));
            Assert.Equal(["id", "time_utc", "node", "kind", "message"], records[0]);
            Assert.Equal(expected, records.Count - 1);
            Assert.All(records.Skip(1), r => Assert.Equal(["s2", "link-down"], r[2..4]));

            // A time range that starts after the event: the same filter now lists nothing.
            var from = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            var fromInput = page.Locator("[data-testid=events-from-filter] input, input[data-testid=events-from-filter]").First;
            await fromInput.FillAsync(from);
            await fromInput.PressAsync("Tab");
            await Eventually.TrueAsync(async () => await rows.CountAsync() == 0, "no rows once the range starts after the event");
            await Eventually.TrueAsync(async () => (await export.GetAttributeAsync("href") ?? "").Contains("&from=", StringComparison.Ordinal),
                "the export link to carry the range");
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private static async Task<int> CountAsync(HttpClient http, string node, string kind) =>
        (await http.GetFromJsonAsync<EventsResponse>($"/api/events?node={node}&kind={kind}&take=1"))!.TotalCount;

    // TextContent rather than InnerText: badges uppercase their text with CSS.
    private static async Task<List<string>> ColumnAsync(ILocator rows, int column) =>
        (await rows.Locator($"td:nth-child({column})").AllTextContentsAsync()).Select(t => t.Trim()).ToList();

    // MudSelect: open it, then pick the option from its (only open) popover.
    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(option, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
    }
}
