using System.Net;
using System.Text.RegularExpressions;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests;

/// <summary>
/// The node detail, Semi-sync and Overview pages as first served (prerendered), over a fake read model that has what
/// the real engine does not report yet (semi-sync) or should never report (an ack wider than the window).
/// </summary>
public sealed class NodeDetailPrerenderTests : IClassFixture<FakeClusterAppFactory>
{
    private readonly HttpClient _client;

    public NodeDetailPrerenderTests(FakeClusterAppFactory factory)
    {
        var at = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
        var semiSync = new SemiSyncView(true, true, ReplDash.Engine.Core.SemiSync.SemiSyncWaitPoint.AfterSync, 1, 10_000, 0, 2, 1_234, 0, 0, 0, 850, 420,
            default, new BinlogPosition(1, 4096), at, "slave s1 caught up", [], []);
        var abnormal = new SlaveLinkView("s1", "127.0.0.1:1", "streaming", new BinlogPosition(1, 4096), new BinlogPosition(1, 2048), default,
            2048, WindowItems: 100, WindowBytes: 1 << 20, InFlightItems: 5, InFlightBytes: 500, LastAckLatencyMs: 1, WindowCorruptions: 0,
            LastAckRangeItems: 150, LastAckRangeBytes: 15_000);
        factory.Cluster.Current =
        [
            new NodeStatus("m1", "master", "running", 6390, new BinlogPosition(1, 4096), new BinlogPosition(1, 4096), 4_000, 10, 5, null,
                new BinlogPosition(1, 4096), Slaves: [abnormal], SemiSync: semiSync),
            new NodeStatus("m2", "master", "running", 6391, new BinlogPosition(1, 32), new BinlogPosition(1, 32), 0, 0, 0, null,
                new BinlogPosition(1, 32), SemiSync: semiSync with { Status = false }),
        ];
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task MasterDetail_ShowsSemiSyncOn_AndAlertsOnAnAckWiderThanTheWindow()
    {
        var html = await _client.GetStringAsync("/nodes/m1");

        Assert.Contains("data-testid=\"semisync-panel\"", html);
        Assert.Equal("ON", TextOf(html, "semisync-status-m1"));
        Assert.Contains("850 µs", WebUtility.HtmlDecode(html)); // the average tx wait, formatted for people
        Assert.Contains("data-testid=\"window-alert-s1\"", html);
        Assert.Contains("more than the window holds", html);
    }

    [Fact]
    public async Task NodeDetailAndSemiSyncPage_ShowTheSameFacts_WithTheWaitPointInMySqlSpelling()
    {
        var detail = await _client.GetStringAsync("/nodes/m1");
        var semiSyncPage = await _client.GetStringAsync("/semisync");

        // AFTER_SYNC, as INFO semisync, CONFIG GET and /api/cluster report it; never the enum's AfterSync.
        Assert.Equal("AFTER_SYNC", TextOf(detail, "semisync-wait-point-m1"));
        Assert.DoesNotContain("AfterSync", detail);
        Assert.DoesNotContain("AfterSync", semiSyncPage);
        foreach (var fact in new[] { "status", "last-switch", "wait-point", "wait-count", "timeout", "clients", "yes-tx", "no-tx",
                     "no-times", "wait-sessions", "tx-wait", "net-wait" })
        {
            Assert.Equal(TextOf(semiSyncPage, $"semisync-{fact}-m1"), TextOf(detail, $"semisync-{fact}-m1"));
        }
    }

    [Fact]
    public async Task Overview_ShowsSemiSyncOnAndOffLights()
    {
        var html = await _client.GetStringAsync("/");

        Assert.Contains("data-semisync=\"ON\" data-testid=\"semisync-m1\"", html);
        Assert.Contains("data-semisync=\"OFF\" data-testid=\"semisync-m2\"", html);
        Assert.Contains("data-testid=\"topology\"", html);
    }

    [Fact]
    public async Task UnknownNode_SaysSoInsteadOfFailing()
    {
        var html = await _client.GetStringAsync("/nodes/nope");

        Assert.Contains("data-testid=\"detail-unknown\"", html);
    }

    // The first text inside the element with this data-testid (past any nested opening tags, as in a MudChip), decoded and trimmed.
    private static string TextOf(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>(?:\\s*<[^/!][^>]*>)*([^<]*)<");
        Assert.True(match.Success, $"no element with data-testid=\"{testId}\"");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }
}
