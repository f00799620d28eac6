using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using Microsoft.Playwright;
using ReplDash.Testing;
using ReplDash.Web.Tests.Consistency;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// Issue 13, test 6, in Chromium against the real app (m1, s1, s2 in one process, started as a newcomer starts it):
/// "Run check" shows the check's progress bar live up to its end; a difference made on s1 with DEBUG SET-LOCAL is
/// found by a check of s1 chosen in the dialog; "Export CSV" downloads the report with those rows; "Repair" leads to a
/// re-check, linked from the run's page, that is clean.
/// Chunks are held to 4 buckets (over a thousand per run) so that a check lasts long enough to watch its bar move.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsistencyPageBrowserTests : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const int Keys = 3_000;

    private static readonly string ScreenshotDir = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    private readonly IBrowser _browser;
    private readonly List<string> _consoleErrors = [];
    private ClusterConfig? _cluster;
    private ReplDashProcess? _app;

    public ConsistencyPageBrowserTests(ChromiumFixture chromium) => _browser = chromium.Browser;

    private ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    private ClusterConfig Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        (_cluster, _app) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig
            {
                Extra =
                {
                    ["ReplDash__Faults__Enabled"] = "true",
                    ["ReplDash__Consistency__InitialChunkBuckets"] = "4",
                    ["ReplDash__Consistency__MaxChunkBuckets"] = "4",
                },
            },
            "m1,s1,s2", cluster => cluster.MasterResp);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            Directory.Delete(_app.DataDir, recursive: true);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task RunCheck_ShowsProgressLive_ExportsCsv_AndRepairLeadsToACleanRecheck()
    {
        using (var master = await RespTestClient.ConnectAsync(Cluster.MasterResp))
        {
            for (var batch = 0; batch < Keys / 100; batch++)
            {
                var args = new List<string> { "MSET" };
                for (var i = batch * 100; i < (batch + 1) * 100; i++)
                {
                    args.Add($"key:{i}");
                    args.Add($"value-{i}");
                }

                Assert.Equal("OK", await master.CallAsync([.. args]));
            }
        }

        foreach (var slave in new[] { Cluster.Slave1Resp, Cluster.Slave2Resp })
        {
            var (m, s) = await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, slave, ChecksApi.Deadline);
            Assert.Equal(m, s);
        }

        Directory.CreateDirectory(ScreenshotDir);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        try
        {
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
            await page.GotoAsync(new Uri(App.BaseAddress, "consistency").ToString());
            await page.Locator("[data-testid=page-root][data-interactive=true]").WaitForAsync();
            await page.GetByTestId("checks-grid").WaitForAsync();

            // 1. "Run check" (every slave): the bar moves while the check runs, without a reload, and ends full.
            await RecordProgressAsync(page);
            var cleanRun = await RunCheckFromTheDialogAsync(page, chosen: null);
            var panel = page.GetByTestId($"check-progress-{cleanRun}");
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 120_000 });
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-percent", "100");
            var seen = await page.EvaluateAsync<string[]>("() => window.__progress");
            Assert.Contains(seen, s => Regex.IsMatch(s, $"^{cleanRun}/running/([1-9]|[1-9][0-9])$"));
            Assert.Contains($"{cleanRun}/completed/100", seen);
            await Assertions.Expect(page.GetByTestId($"check-progress-keys-{cleanRun}")).ToHaveAttributeAsync("title", Keys.ToString("N0", CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByTestId($"checks-status-{cleanRun}")).ToHaveTextAsync("clean");
            await Assertions.Expect(page.GetByTestId($"checks-keys-{cleanRun}")).ToHaveAttributeAsync("title", Keys.ToString("N0", CultureInfo.InvariantCulture));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "consistency-clean.png"), FullPage = true });

            // 2. A difference on s1, behind replication's back; a check of s1 alone, chosen in the dialog, finds it.
            using (var s1 = await RespTestClient.ConnectAsync(Cluster.Slave1Resp))
            {
                Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "key:42", "changed-on-s1"));
                Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "only-on-s1", "extra"));
            }

            var differingRun = await RunCheckFromTheDialogAsync(page, chosen: "s1");
            panel = page.GetByTestId($"check-progress-{differingRun}");
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 120_000 });
            await Assertions.Expect(page.GetByTestId($"checks-status-{differingRun}")).ToHaveTextAsync("2 differ");

            // 3. The run's page: the two keys, and the CSV report downloaded under the endpoint's name.
            await page.GetByTestId($"checks-run-{differingRun}").ClickAsync();
            await page.WaitForURLAsync($"**/consistency/{differingRun}");
            await Assertions.Expect(page.GetByTestId("check-nodes")).ToContainTextAsync("s1");
            Assert.Equal(["key:42", "only-on-s1"],
                (await page.GetByTestId("check-finding-key").AllTextContentsAsync()).Select(k => k.Trim()).Order(StringComparer.Ordinal));
            Assert.Equal(["", "on master"],
                (await page.GetByTestId("check-finding-missing").AllTextContentsAsync()).Select(k => k.Trim()).Order(StringComparer.Ordinal));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "consistency-run-differs.png"), FullPage = true });

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("check-export-csv").ClickAsync());
            Assert.Matches($"^repldash-m1-check-{differingRun}-\\d{{4}}-\\d{{2}}-\\d{{2}}\\.csv$", download.SuggestedFilename);
            using (var reader = CsvReader.Create(new StringReader(await File.ReadAllTextAsync(await download.PathAsync())), null, false))
            {
                var rows = reader.GetRecords<CsvFinding>().OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                Assert.Equal([("key:42", "Value"), ("only-on-s1", "MissingOnMaster")], rows.Select(r => (r.Key, r.Difference)));
                Assert.All(rows, r => Assert.Equal(("s1", differingRun), (r.Node, r.RunId)));
                Assert.Equal("", rows[1].MasterType);
                Assert.Equal(40, rows[0].SlaveValueDigest.Length);
            }

            // 4. Repair (confirmed), then the linked re-check ends clean on the same page.
            await page.GetByTestId("check-repair").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog).ToContainTextAsync($"Repair check {differingRun}");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Repair", Exact = true }).ClickAsync();
            await Assertions.Expect(Snackbar(page, $"Check {differingRun} repaired")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("check-recheck-status")).ToHaveTextAsync("clean", new() { Timeout = 120_000 });
            await Assertions.Expect(page.GetByTestId("check-recheck-outcome")).ToContainTextAsync("clean");
            Assert.Equal(0, await page.GetByTestId("check-repair").CountAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "consistency-repaired.png"), FullPage = true });

            await page.GetByTestId("check-recheck-link").ClickAsync();
            await Assertions.Expect(page.GetByTestId("check-repair-of-link")).ToHaveAttributeAsync("href", $"consistency/{differingRun}");
            await Assertions.Expect(page.GetByTestId("check-status")).ToHaveTextAsync("clean");
            Assert.Equal(0, await page.GetByTestId("check-finding-key").CountAsync());

            var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave1Resp, ChecksApi.Deadline);
            Assert.Equal(masterDigest, slaveDigest);
            // Who asked is recorded with every action.
            await Convergence.WaitForEventAsync(App.BaseAddress, "check-started", ChecksApi.Deadline, "m1", $"check {differingRun} of s1 against m1 started by dashboard");
            await Convergence.WaitForEventAsync(App.BaseAddress, "check-repair", ChecksApi.Deadline, "m1", $"Repair of check {differingRun} asked by dashboard");
        }
        finally
        {
            await context.DisposeAsync();
        }

        lock (_consoleErrors)
        {
            Assert.True(_consoleErrors.Count == 0, "browser console errors: " + string.Join(" | ", _consoleErrors));
        }
    }

    // Snackbars stack up: the one saying this.
    private static ILocator Snackbar(IPage page, string text) => page.Locator(".mud-snackbar").Filter(new() { HasText = text });

    // Every state of every progress panel, recorded in the page as it changes ("7/running/42"): a poll from the test
    // could miss the moments between two renders.
    private static Task RecordProgressAsync(IPage page) => page.EvaluateAsync(@"() => {
        window.__progress = [];
        new MutationObserver(() => {
            for (const panel of document.querySelectorAll('.check-progress')) {
                const state = panel.dataset.testid.replace('check-progress-', '') + '/' + panel.dataset.status + '/' + panel.dataset.percent;
                if (window.__progress[window.__progress.length - 1] !== state) window.__progress.push(state);
            }
        }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    }");

    // "Run check", every slave (null) or the one named, "Start check"; returns the new run's id from its progress panel.
    private static async Task<long> RunCheckFromTheDialogAsync(IPage page, string? chosen)
    {
        var before = await page.Locator(".check-progress").CountAsync();
        await page.GetByTestId("check-run").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Run a consistency check");
        if (chosen is not null)
        {
            await dialog.GetByText("Chosen slaves").ClickAsync();
            await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Start check" })).ToBeDisabledAsync();
            await dialog.GetByText(chosen, new() { Exact = true }).ClickAsync();
        }

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start check" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Eventually.TrueAsync(async () => await page.Locator(".check-progress").CountAsync() > before, "the new check's progress panel");
        // Panels are listed newest first.
        var testId = await page.Locator(".check-progress").First.GetAttributeAsync("data-testid") ?? "";
        var id = long.Parse(testId.Replace("check-progress-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        await Assertions.Expect(Snackbar(page, $"Check {id} of {chosen ?? "every slave"} started")).ToBeVisibleAsync();
        return id;
    }
}
