using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Health;

namespace ReplDash.Web.Tests.Health;

public sealed class LinkHealthClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("streaming", 0, LinkHealth.Green)]
    [InlineData("streaming", 5_000, LinkHealth.Amber)]
    [InlineData("handshake", 0, LinkHealth.Amber)]
    [InlineData("full-resync", 0, LinkHealth.Resyncing)]
    [InlineData("connecting", 0, LinkHealth.Amber)]
    [InlineData("down", 0, LinkHealth.Red)]
    [InlineData("sending-back", 0, LinkHealth.Amber)]
    [InlineData("diverged", 0, LinkHealth.Red)]
    public void Slave_ColourFollowsLinkStateAndLag(string linkState, long lagMs, LinkHealth expected) =>
        Assert.Equal(expected, LinkHealthClassifier.Classify(Slave(linkState, lagMs: lagMs)).Light);

    [Fact]
    public void DivergedLink_SaysAnOperatorMustDecide() =>
        Assert.Contains("operator", LinkHealthClassifier.Classify(Slave("diverged")).Reason);

    [Theory]
    [InlineData("stopped", LinkHealth.Red)]
    [InlineData("failed", LinkHealth.Red)]
    [InlineData("starting", LinkHealth.Amber)]
    [InlineData("degraded", LinkHealth.Amber)]
    public void NodeState_WinsOverTheLink(string state, LinkHealth expected) =>
        Assert.Equal(expected, LinkHealthClassifier.Classify(Slave("streaming") with { State = state }).Light);

    [Fact]
    public void DegradedMaster_IsAmberWithTheDiskProblem()
    {
        var verdict = LinkHealthClassifier.Classify(Slave("streaming") with
        {
            Role = "master", State = "degraded", Link = null, LastError = "writing the binlog failed: No space left on device",
        });
        Assert.Equal(LinkHealth.Amber, verdict.Light);
        Assert.Contains("No space left on device", verdict.Reason);
    }

    [Fact]
    public void Slave_MasterSilentPastLinkTimeout_IsRedEvenWhileStillStreaming() =>
        Assert.Equal(LinkHealth.Red, LinkHealthClassifier.Classify(Slave("streaming", lastHeardSecondsAgo: 4, linkTimeoutMs: 3_000)).Light);

    [Fact]
    public void Slave_LinkDroppedWithinTimeout_StaysRedAfterReconnecting()
    {
        var slave = Slave("streaming", linkTimeoutMs: 3_000);

        Assert.Equal(LinkHealth.Red, LinkHealthClassifier.Classify(slave, Now.AddMilliseconds(-500), Now).Light);
        Assert.Equal(LinkHealth.Green, LinkHealthClassifier.Classify(slave, Now.AddSeconds(-4), Now).Light);
    }

    [Fact]
    public void Slave_WithoutLink_IsRed() =>
        Assert.Equal(LinkHealth.Red, LinkHealthClassifier.Classify(Slave("streaming") with { Link = null }).Light);

    [Fact]
    public void RunningMaster_IsGreen() =>
        Assert.Equal(LinkHealth.Green, LinkHealthClassifier.Classify(Node("m1", "master")).Light);

    internal static NodeStatus Node(string id, string role) =>
        new(id, role, "running", 6380, new BinlogPosition(1, 100), new BinlogPosition(1, 100), 100, 0, 0, null, new BinlogPosition(1, 100));

    internal static NodeStatus Slave(string linkState, long lagMs = 0, long lastHeardSecondsAgo = 0, long linkTimeoutMs = 20_000, string id = "s1") =>
        Node(id, "slave") with
        {
            Link = new MasterLinkView("127.0.0.1:7380", linkState, lastHeardSecondsAgo, new BinlogPosition(1, 100), new BinlogPosition(1, 100),
                new BinlogPosition(1, 100), new BinlogPosition(1, 100), 0, 0, lagMs, 0, 0, null, LinkTimeoutMs: linkTimeoutMs),
        };
}
