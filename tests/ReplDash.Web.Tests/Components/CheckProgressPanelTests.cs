using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using ReplDash.Web.Components.Pages.Consistency;
using ReplDash.Web.Consistency;

namespace ReplDash.Web.Tests.Components;

/// <summary>
/// What the Consistency pages compute for a run: the progress panel's bar, chunks, keys, rate, differences and ETA;
/// the status chip's colour and text; the ETA, expiry and missing-side texts.
/// </summary>
public sealed class CheckProgressPanelTests : MudComponentTestBase
{
    public CheckProgressPanelTests() =>
        // Cancel needs the real ConsistencyActions (the app's services); here only whether the button is there matters.
        Context.ComponentFactories.AddStub<CancelCheckButton>("<span data-testid=\"cancel-stub\"></span>");

    [Fact]
    public void Running_ShowsBucketsChunksKeysRateDifferencesAndEta_WithCancel()
    {
        var panel = Render(new CheckProgress(7, "running", "checking", 12, 1024, 4096, 12_345, 8_200, 3, 95.2));

        var root = panel.Find("[data-testid=check-progress-7]");
        Assert.Equal("25", root.GetAttribute("data-percent"));
        Assert.Equal("running", root.GetAttribute("data-status"));
        Assert.Equal("1,024 of 4,096 buckets (25%) in 12 chunks", panel.Find("[data-testid=check-progress-chunks-7]").TextContent);
        Assert.Equal("12k", panel.Find("[data-testid=check-progress-keys-7]").TextContent);
        Assert.Equal("12,345", panel.Find("[data-testid=check-progress-keys-7]").GetAttribute("title"));
        Assert.Equal("8.2k keys/s", panel.Find("[data-testid=check-progress-rate-7]").TextContent);
        Assert.Equal("3", panel.Find("[data-testid=check-progress-differences-7]").TextContent);
        Assert.Equal("1 min 36 s", panel.Find("[data-testid=check-progress-eta-7]").TextContent);
        Assert.Equal("checking", panel.Find("[data-testid=check-progress-phase-7]").TextContent);
        Assert.Single(panel.FindAll("[data-testid=cancel-stub]"));
        Assert.Equal(25, panel.FindComponent<MudProgressLinear>().Instance.GetState(x => x.Value));
    }

    [Fact]
    public void Completed_IsFull_HasNoEtaAndNoCancel_AndItsColourSaysWhetherKeysDiffer()
    {
        var clean = Render(new CheckProgress(8, "completed", "done", 40, 4096, 4096, 500, 0, 0, null));
        Assert.Equal("100", clean.Find("[data-testid=check-progress-8]").GetAttribute("data-percent"));
        Assert.Equal("–", clean.Find("[data-testid=check-progress-eta-8]").TextContent);
        Assert.Equal("–", clean.Find("[data-testid=check-progress-rate-8]").TextContent);
        Assert.Empty(clean.FindAll("[data-testid=cancel-stub]"));
        Assert.Equal(Color.Success, clean.FindComponent<MudProgressLinear>().Instance.Color);
        Assert.Equal("clean", clean.Find("[data-testid=check-progress-status-8]").TextContent.Trim());

        var differing = Render(new CheckProgress(9, "completed", "done", 40, 4096, 4096, 500, 0, 6, null));
        Assert.Equal(Color.Warning, differing.FindComponent<MudProgressLinear>().Instance.Color);
        Assert.Equal("6 differ", differing.Find("[data-testid=check-progress-status-9]").TextContent.Trim());
    }

    [Fact]
    public void Queued_IsIndeterminate_AndPausedSaysWhy()
    {
        var queued = Render(new CheckProgress(10, "running", "queued", 0, 0, 4096, 0, 0, 0, null));
        Assert.True(queued.FindComponent<MudProgressLinear>().Instance.Indeterminate);
        Assert.Equal("queued behind another check", queued.Find("[data-testid=check-progress-phase-10]").TextContent);

        var paused = Render(new CheckProgress(11, "running", "paused", 3, 24, 4096, 90, 0, 0, null));
        Assert.Equal("paused: a slave lags or is not streaming", paused.Find("[data-testid=check-progress-phase-11]").TextContent);
        Assert.Equal("0", paused.Find("[data-testid=check-progress-11]").GetAttribute("data-percent"));
    }

    [Theory]
    [InlineData("running", 0, Color.Info, "running")]
    [InlineData("completed", 0, Color.Success, "clean")]
    [InlineData("completed", 1234, Color.Warning, "1,234 differ")]
    [InlineData("failed", 0, Color.Error, "failed")]
    [InlineData("cancelled", 5, Color.Default, "cancelled")]
    public void StatusChip_ColourAndText(string status, int differing, Color colour, string text)
    {
        var chip = Context.Render<CheckStatusChip>(p => p.Add(c => c.Status, status).Add(c => c.DifferingKeys, differing).Add(c => c.TestId, "chip"));

        Assert.Equal(colour, chip.FindComponent<MudChip<string>>().Instance.Color);
        Assert.Equal(text, chip.Find("[data-testid=chip]").TextContent.Trim());
        Assert.Equal(status, chip.Find("[data-testid=chip]").GetAttribute("data-status"));
    }

    [Theory]
    [InlineData(null, "–")]
    [InlineData(-1.0, "–")]
    [InlineData(double.PositiveInfinity, "–")]
    [InlineData(0.4, "< 1 s")]
    [InlineData(41.2, "42 s")]
    [InlineData(59.5, "1 min 00 s")]
    [InlineData(185.0, "3 min 05 s")]
    [InlineData(7_800.0, "2 h 10 min")]
    public void Eta_AsPeopleReadIt(double? seconds, string expected) => Assert.Equal(expected, CheckDisplay.Eta(seconds));

    [Fact]
    public void Percent_CountsBuckets_AndAnEmptyFinishedScopeIsFull()
    {
        Assert.Equal(50, CheckDisplay.Percent(new CheckProgress(1, "running", "checking", 1, 2048, 4096, 0, 0, 0, null)));
        Assert.Equal(0, CheckDisplay.Percent(new CheckProgress(1, "running", "queued", 0, 0, 0, 0, 0, 0, null)));
        Assert.Equal(100, CheckDisplay.Percent(new CheckProgress(1, "completed", "done", 0, 0, 0, 0, 0, 0, null)));
        Assert.Equal(100, CheckDisplay.Percent(new CheckProgress(1, "running", "checking", 1, 5000, 4096, 0, 0, 0, null)));
    }

    [Fact]
    public void EndAndDuration_AsTheGridShowsThem()
    {
        var start = new DateTime(2026, 12, 7, 23, 59, 58, DateTimeKind.Utc);

        Assert.Equal("23:59:59", CheckDisplay.Ended(start, start.AddSeconds(1)));
        Assert.Equal("2026-12-08 00:00:03", CheckDisplay.Ended(start, start.AddSeconds(5)));
        Assert.Equal("1.5 s", CheckDisplay.Duration(start, start.AddMilliseconds(1_500), start));
        Assert.Equal("3 min 05 s", CheckDisplay.Duration(start, start.AddSeconds(185), start));
        Assert.Equal("2 s", CheckDisplay.Duration(start, null, start.AddSeconds(2)));
    }

    [Fact]
    public void FinalState_KeepsTheRateItLastRanAt()
    {
        var running = new CheckProgress(3, "running", "checking", 10, 4000, 4096, 900, 1_500, 0, 0.2);
        var final = new CheckProgress(3, "completed", "done", 11, 4096, 4096, 1000, 0, 0, null);

        Assert.Equal(1_500, CheckDisplay.Latest(running, final).KeysPerSecond);
        Assert.Equal(final, CheckDisplay.Latest(null, final));
        Assert.Equal(0, CheckDisplay.Latest(running with { RunId = 4 }, final).KeysPerSecond);
        Assert.Equal(running, CheckDisplay.Latest(final, running));
    }

    [Fact]
    public void FindingTexts_SayWhereAKeyIsMissing_ItsExpiryAndAShortDigest()
    {
        var digest = new string('a', 40);
        var onlyOnMaster = new CheckFindingDto("s1", "k", "6b", 1, ["MissingOnSlave"], new CheckKeySide("string", digest, 0), null);
        var onlyOnSlave = new CheckFindingDto("s1", "k", "6b", 1, ["MissingOnMaster"], null, new CheckKeySide("hash", digest, 1_796_652_000_123));
        var both = new CheckFindingDto("s2", "k", "6b", 1, ["Value"], new CheckKeySide("string", digest, 0), new CheckKeySide("string", digest, 0));

        Assert.Equal("on s1", CheckDisplay.MissingOn(onlyOnMaster));
        Assert.Equal("on master", CheckDisplay.MissingOn(onlyOnSlave));
        Assert.Equal("", CheckDisplay.MissingOn(both));
        Assert.Equal("none", CheckDisplay.Expiry(onlyOnMaster.Master));
        Assert.Equal("–", CheckDisplay.Expiry(onlyOnMaster.Slave));
        Assert.Equal("2026-12-07 14:00:00.123", CheckDisplay.Expiry(onlyOnSlave.Slave));
        Assert.Equal("aaaaaaaaaaaa", CheckDisplay.ShortDigest(both.Master));
        Assert.Equal("–", CheckDisplay.ShortDigest(onlyOnSlave.Master));
    }

    private IRenderedComponent<CheckProgressPanel> Render(CheckProgress progress) =>
        Context.Render<CheckProgressPanel>(p => p.Add(c => c.Progress, progress));
}
