using ReplDash.Engine.Hosting;
using ReplDash.Web.Health;

namespace ReplDash.Web.Tests.Health;

public sealed class SyncWindowAlertsTests
{
    private static SlaveLinkView Link(int inFlightItems = 10, int lastAckItems = 5, long lastAckBytes = 500, long corruptions = 0) =>
        new("s1", "127.0.0.1:1", "streaming", default, default, default, 0, WindowItems: 100, WindowBytes: 10_000, inFlightItems, 1_000,
            LastAckLatencyMs: 1, corruptions, lastAckItems, lastAckBytes);

    [Fact]
    public void SoundWindow_HasNoAlert() => Assert.Null(SyncWindowAlerts.Check(Link()));

    [Fact]
    public void AckWiderThanWindowInItems_Alerts() => Assert.Contains("more than the window", SyncWindowAlerts.Check(Link(lastAckItems: 101)));

    [Fact]
    public void MultiItemAckWiderThanWindowInBytes_Alerts() => Assert.NotNull(SyncWindowAlerts.Check(Link(lastAckItems: 2, lastAckBytes: 20_000)));

    [Fact]
    public void SingleOversizeItem_IsNotAbnormal() => Assert.Null(SyncWindowAlerts.Check(Link(lastAckItems: 1, lastAckBytes: 20_000)));

    [Fact]
    public void RefusedAcks_Alert() => Assert.Contains("refused", SyncWindowAlerts.Check(Link(corruptions: 2)));
}
