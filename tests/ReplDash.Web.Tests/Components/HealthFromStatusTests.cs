using Bunit;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Components.Shared;
using ReplDash.Web.Health;
using ReplDash.Web.Tests.Health;

namespace ReplDash.Web.Tests.Components;

/// <summary>
/// The health light as rendered from a node's status: the protocol state decides (a full resync is its own
/// state with its progress; a master with semi-sync OFF or late acks is not healthy).
/// </summary>
public sealed class HealthFromStatusTests : MudComponentTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SlaveInFullResync_ShowsItsOwnStateWithProgress()
    {
        var slave = LinkHealthClassifierTests.Slave("full-resync");
        slave = slave with { Link = slave.Link! with { Resync = new ResyncProgressView("receiving", 16_000, 8_000, 4_000_000, Start, null, 2_000, null) } };

        var light = Render(slave);

        Assert.Equal("resync", light.Find("[data-testid=light]").GetAttribute("data-health"));
        Assert.Contains("full resync: receiving 50% (8k of 16k keys)", light.Markup);
    }

    [Fact]
    public void SlaveStillCatchingUpAfterTheSnapshot_IsResyncingEvenWhileTheLinkStreams()
    {
        var slave = LinkHealthClassifierTests.Slave("streaming");
        slave = slave with { Link = slave.Link! with { Resync = new ResyncProgressView("catching-up", 10, 10, 100, Start, null, 10, null) } };

        Assert.Equal("resync", Render(slave).Find("[data-testid=light]").GetAttribute("data-health"));
    }

    [Fact]
    public void SlaveAfterACompletedResync_IsGreenOnceStreamingAndCaughtUp()
    {
        var slave = LinkHealthClassifierTests.Slave("streaming");
        slave = slave with { Link = slave.Link! with { Resync = new ResyncProgressView("completed", 10, 10, 100, Start, Start.AddSeconds(2), 5, "10 keys") } };

        Assert.Equal("green", Render(slave).Find("[data-testid=light]").GetAttribute("data-health"));
    }

    [Fact]
    public void SlaveWhoseLinkIsDown_IsRedAtOnce() =>
        Assert.Equal("red", Render(LinkHealthClassifierTests.Slave("down")).Find("[data-testid=light]").GetAttribute("data-health"));

    [Fact]
    public void MasterWithSemiSyncOff_IsRed_NotHealthy()
    {
        var master = LinkHealthClassifierTests.Node("m1", "master") with { SemiSync = SemiSync(enabled: true, on: false) };

        var light = Render(master);

        Assert.Equal("red", light.Find("[data-testid=light]").GetAttribute("data-health"));
        Assert.Contains("semi-sync OFF", light.Markup);
    }

    [Fact]
    public void MasterWithSemiSyncDisabledByTheOperator_IsGreen() =>
        Assert.Equal("green", Render(LinkHealthClassifierTests.Node("m1", "master") with { SemiSync = SemiSync(enabled: false, on: false) })
            .Find("[data-testid=light]").GetAttribute("data-health"));

    [Fact]
    public void MasterWhoseSlaveAcksLate_IsAmber_NamingTheSlave()
    {
        var master = LinkHealthClassifierTests.Node("m1", "master") with
        {
            SemiSync = SemiSync(enabled: true, on: true),
            Slaves = [Link("s1", ackMs: 2), Link("s2", ackMs: 1_500)],
        };

        var light = Render(master);

        Assert.Equal("amber", light.Find("[data-testid=light]").GetAttribute("data-health"));
        Assert.Contains("acks late from s2 (1.5 s)", light.Markup);
    }

    [Fact]
    public void MasterWithSemiSyncOnAndPromptAcks_IsGreen() =>
        Assert.Equal("green", Render(LinkHealthClassifierTests.Node("m1", "master") with { SemiSync = SemiSync(enabled: true, on: true), Slaves = [Link("s1", ackMs: 3)] })
            .Find("[data-testid=light]").GetAttribute("data-health"));

    [Fact]
    public void Topology_DrawsAResyncingSlaveAsResyncing_WithItsProgress()
    {
        var slave = LinkHealthClassifierTests.Slave("full-resync");
        slave = slave with { Link = slave.Link! with { Resync = new ResyncProgressView("loading", 100, 100, 1_000, Start, null, 50, null) } };
        NodeStatus[] nodes = [LinkHealthClassifierTests.Node("m1", "master"), slave];

        var graph = Context.Render<ReplDash.Web.Components.Pages.Overview.TopologyGraph>(p => p
            .Add(c => c.Nodes, nodes)
            .Add(c => c.Classify, n => LinkHealthClassifier.Classify(n)));

        Assert.Equal("resync", graph.Find("[data-testid=topology-edge-s1]").GetAttribute("data-health"));
        Assert.Equal("resync", graph.Find("[data-testid=topology-node-s1]").GetAttribute("data-health"));
        Assert.Contains("full resync: loading 100%", graph.Find("[data-testid=topology-edge-label-s1]").TextContent);
    }

    private IRenderedComponent<HealthLight> Render(NodeStatus node) =>
        Context.Render<HealthLight>(p => p
            .Add(c => c.Verdict, LinkHealthClassifier.Classify(node))
            .Add(c => c.TestId, "light"));

    private static SlaveLinkView Link(string id, long ackMs) =>
        new(id, "127.0.0.1:1", "streaming", default, default, default, 0, 9000, 1 << 26, 0, 0, ackMs, 0);

    private static SemiSyncView SemiSync(bool enabled, bool on) =>
        new(enabled, on, SemiSyncWaitPoint.AfterSync, 1, 10_000, 0, 2, 0, 0, 0, 0, 0, 0, default, default, null, null, [], []);
}
