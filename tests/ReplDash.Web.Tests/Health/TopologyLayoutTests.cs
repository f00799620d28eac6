using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Health;

namespace ReplDash.Web.Tests.Health;

public sealed class TopologyLayoutTests
{
    [Fact]
    public void MasterAbove_SlavesBelow_OneEdgePerSlave_ColouredBySlave()
    {
        var master = LinkHealthClassifierTests.Node("m1", "master");
        var s1 = LinkHealthClassifierTests.Slave("streaming", id: "s1");
        var s2 = LinkHealthClassifierTests.Slave("down", id: "s2");

        var drawing = TopologyLayout.Build([master, s1, s2], n => LinkHealthClassifier.Classify(n));

        var m1 = drawing.Nodes.Single(n => n.Id == "m1");
        Assert.All(drawing.Nodes.Where(n => n.Role == "slave"), slave => Assert.True(slave.Y > m1.Y));
        Assert.Equal(["s1", "s2"], drawing.Edges.Select(e => e.SlaveId));
        Assert.All(drawing.Edges, e => Assert.Equal("m1", e.MasterId));
        Assert.Equal(LinkHealth.Red, drawing.Edges.Single(e => e.SlaveId == "s2").Health.Light);
        Assert.Equal("link down", drawing.Edges.Single(e => e.SlaveId == "s2").Label);
        Assert.Equal("caught up", drawing.Edges.Single(e => e.SlaveId == "s1").Label);
    }

    [Fact]
    public void SlaveListedByASecondMaster_HangsUnderThatMaster()
    {
        var m1 = LinkHealthClassifierTests.Node("m1", "master");
        var m2 = LinkHealthClassifierTests.Node("m2", "master") with
        {
            Slaves = [new SlaveLinkView("s9", "127.0.0.1:1", "streaming", default, default, default, 0, 10, 10, 0, 0, 0, 0)],
        };

        var drawing = TopologyLayout.Build([m1, m2, LinkHealthClassifierTests.Slave("streaming", id: "s9")], n => LinkHealthClassifier.Classify(n));

        Assert.Equal("m2", Assert.Single(drawing.Edges).MasterId);
    }
}

public sealed class TopologyRemoteSlaveTests
{
    [Fact]
    public void SlaveOfAHostedMasterInAnotherProcess_IsDrawnFromTheMastersView_AndStaysRedOnceGone()
    {
        var listing = LinkHealthClassifierTests.Node("m1", "master") with
        {
            Slaves = [new SlaveLinkView("s7", "10.0.0.7:1", "streaming", default, default, default, 0, 10, 10, 0, 0, 0, 0)],
        };

        var connected = TopologyLayout.Build([listing], n => LinkHealthClassifier.Classify(n), new Dictionary<string, string> { ["s7"] = "m1" });
        var s7 = Assert.Single(connected.Nodes, n => n.Id == "s7");
        Assert.True(s7.Remote);
        Assert.Equal(LinkHealth.Green, s7.Health.Light);

        var gone = TopologyLayout.Build([listing with { Slaves = [] }], n => LinkHealthClassifier.Classify(n), new Dictionary<string, string> { ["s7"] = "m1" });
        Assert.Equal(LinkHealth.Red, Assert.Single(gone.Nodes, n => n.Id == "s7").Health.Light);
        Assert.Equal("m1", Assert.Single(gone.Edges).MasterId);
    }
}
