using Bunit;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Components.Shared;
using ReplDash.Web.Configuration;
using ReplDash.Web.Events;

namespace ReplDash.Web.Tests.Components;

/// <summary>Numbers and units as the components show them: lag in its three units, byte sizes for people, event tones.</summary>
public sealed class FormattingComponentTests : MudComponentTestBase
{
    [Fact]
    public void LagText_ShowsItemsBytesAndTime_EachWithItsUnit()
    {
        var link = new MasterLinkView("127.0.0.1:7380", "streaming", 0, default, default, default, default,
            LagBytes: 3 * 1024 * 1024, LagItems: 1_234, LagMs: 15, SlowApplies: 0, SlowestRecentApplyMs: 0, LastError: null);

        var text = Context.Render<LagText>(p => p.Add(c => c.Link, link).Add(c => c.TestId, "lag"));

        Assert.Equal("1.2k items · 3 MiB · 15 ms", Normalise(text.Find("[data-testid=lag]").TextContent));
        Assert.Equal("1234", text.Find("[data-testid=lag]").GetAttribute("data-lag-items"));
    }

    [Fact]
    public void LagText_ItemsUnknown_SaysSoWithoutHidingTheOthers()
    {
        var link = new MasterLinkView("10.0.0.1:7380", "streaming", 0, default, default, default, default,
            LagBytes: 512, LagItems: -1, LagMs: 0, SlowApplies: 0, SlowestRecentApplyMs: 0, LastError: null);

        Assert.Equal("– items · 512 B · 0 ms", Normalise(Context.Render<LagText>(p => p.Add(c => c.Link, link)).Markup.Split('>')[1].Split('<')[0]));
    }

    [Theory]
    [InlineData("ReplDash:Replication:SyncWindowBytes", "67108864", "64 MiB (67,108,864 bytes)")]
    [InlineData("ReplDash:Resp:MaxInlineBytes", "65536", "64 KiB (65,536 bytes)")]
    [InlineData("ReplDash:Replication:SlowApplyMs", "1000", "1 s")]
    [InlineData("ReplDash:SemiSync:TimeoutMs", "250", "250 ms")]
    [InlineData("ReplDash:DataDir", "data", "data")]
    [InlineData("ReplDash:Replication:SyncWindowBytes", "lots", "lots")]
    public void Settings_SizesAndDurations_AreShownForPeople(string key, string value, string shown) =>
        Assert.Equal(shown, EffectiveSettings.Human(key, value));

    [Theory]
    [InlineData("link-down", EventTone.Trouble)]
    [InlineData("node-failed", EventTone.Trouble)]
    [InlineData("semisync-off", EventTone.Trouble)]
    [InlineData("link-up", EventTone.Recovery)]
    [InlineData("semisync-on", EventTone.Recovery)]
    [InlineData("full-resync-end", EventTone.Recovery)]
    [InlineData("operator-resync", EventTone.Operator)]
    [InlineData("items-replayed", EventTone.Info)]
    public void EventKinds_TroubleAndRecovery_AreToldApart(string kind, EventTone tone) =>
        Assert.Equal(tone, EventKindStyle.Of(kind));

    [Fact]
    public void EventKindChip_TroubleAndRecovery_LookDifferent()
    {
        var down = Context.Render<EventKindChip>(p => p.Add(c => c.Kind, "link-down"));
        var up = Context.Render<EventKindChip>(p => p.Add(c => c.Kind, "link-up"));

        Assert.Equal("trouble", down.Find("[data-tone]").GetAttribute("data-tone"));
        Assert.Equal("recovery", up.Find("[data-tone]").GetAttribute("data-tone"));
        Assert.Contains("mud-chip-color-error", down.Markup);
        Assert.Contains("mud-chip-color-success", up.Markup);
        Assert.NotEmpty(down.FindAll("svg")); // trouble carries an icon too, not colour alone
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
