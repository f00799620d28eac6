using Bunit;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Components.Pages.Nodes;
using ReplDash.Web.Tests.Health;

namespace ReplDash.Web.Tests.Components;

/// <summary>The full resync panel of a slave's page: phase, keys and bytes, rate, outcome; the link state where the engine reports nothing more.</summary>
public sealed class ResyncProgressPanelTests : MudComponentTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Receiving_ShowsPhaseKeysBytesAndRate()
    {
        var progress = new ResyncProgressView("receiving", 16_000, 8_000, 4 * 1024 * 1024, Start, null, 4_000, null);

        var panel = Render(Link("full-resync", progress), now: Start.AddSeconds(2));

        Assert.Equal("receiving", panel.Find("[data-testid=resync-progress]").GetAttribute("data-phase"));
        Assert.Contains("8k of 16k (50%)", Normalise(panel.Find("[data-testid=resync-keys]").TextContent));
        Assert.Equal("4 MiB", panel.Find("[data-testid=resync-bytes]").TextContent.Trim());
        Assert.Equal("4k keys/s · 2 MiB/s", panel.Find("[data-testid=resync-rate]").TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid=resync-outcome]"));
    }

    [Fact]
    public void Finished_ShowsTheOutcome()
    {
        var progress = new ResyncProgressView("completed", 10, 10, 100, Start, Start.AddSeconds(1), 10, "10 keys at binlog.000001:4096");

        var panel = Render(Link("streaming", progress), now: Start.AddSeconds(5));

        Assert.Contains("Completed: 10 keys at binlog.000001:4096", panel.Find("[data-testid=resync-outcome]").TextContent);
    }

    [Fact]
    public void WithoutEngineProgress_TheLinkStateSaysFullResync()
    {
        var panel = Render(Link("full-resync", null), now: Start);

        Assert.Equal("full-resync", panel.Find("[data-testid=resync-progress]").GetAttribute("data-phase"));
        Assert.Equal("full-resync", panel.Find("[data-testid=resync-link-state]").TextContent);
    }

    [Fact]
    public void NoResyncAndNoRequest_ShowsNothing() =>
        Assert.Empty(Render(Link("streaming", null), now: Start).FindAll("[data-testid=resync-progress]"));

    private IRenderedComponent<ResyncProgressPanel> Render(MasterLinkView link, DateTimeOffset now) =>
        Context.Render<ResyncProgressPanel>(p => p.Add(c => c.Link, link).Add(c => c.Now, now));

    private static MasterLinkView Link(string state, ResyncProgressView? progress) =>
        LinkHealthClassifierTests.Slave(state).Link! with { Resync = progress };

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
