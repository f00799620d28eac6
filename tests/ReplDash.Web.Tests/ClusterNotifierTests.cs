using Microsoft.Extensions.Logging.Abstractions;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Cluster;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests;

public sealed class ClusterNotifierTests
{
    private readonly FakeClusterStatus _cluster = new();
    private readonly ClusterNotifier _notifier;
    private readonly List<ClusterSnapshot> _received = [];

    public ClusterNotifierTests()
    {
        _notifier = new ClusterNotifier(_cluster, TimeProvider.System, NullLogger<ClusterNotifier>.Instance);
        _notifier.SnapshotChanged += _received.Add;
    }

    [Fact]
    public void Poll_UnchangedStatus_NotifiesOnce()
    {
        _notifier.Poll();
        _notifier.Poll();
        _notifier.Poll();

        Assert.Single(_received);
    }

    [Fact]
    public void Poll_AfterPositionMoves_NotifiesNewSnapshot()
    {
        _notifier.Poll();
        _cluster.Current = [_cluster.Current[0] with { BinlogEnd = new BinlogPosition(3, 5000) }, _cluster.Current[1]];
        _notifier.Poll();

        Assert.Equal(2, _received.Count);
        Assert.Equal("binlog.000003:5000", _received[1].Nodes[0].BinlogEnd.ToString());
        Assert.Same(_received[1], _notifier.Latest);
    }

    [Fact]
    public void Poll_RemembersARemoteSlaveAfterItsLinkIsGone_WithNoPageRendering()
    {
        var master = _cluster.Current[0];
        var remote = new SlaveLinkView("s7", "10.0.0.7:1", "streaming", default, default, default, 0, 10, 10, 0, 0, 0, 0);
        var hosted = remote with { SlaveId = "s1" };
        _cluster.Current = [master with { Slaves = [remote, hosted] }, _cluster.Current[1]];
        _notifier.Poll();
        _cluster.Current = [master with { Slaves = [] }, _cluster.Current[1]];
        _notifier.Poll();

        var seen = _notifier.Latest.RemoteSlaves;
        Assert.Equal("m1", seen["s7"]);
        Assert.False(seen.ContainsKey("s1")); // hosted here: not a remote slave
    }

    [Fact]
    public void Poll_FailingSubscriber_DoesNotStopOthers()
    {
        var notifier = new ClusterNotifier(_cluster, TimeProvider.System, NullLogger<ClusterNotifier>.Instance);
        var delivered = 0;
        notifier.SnapshotChanged += _ => throw new InvalidOperationException("circuit gone");
        notifier.SnapshotChanged += _ => delivered++;

        notifier.Poll();

        Assert.Equal(1, delivered);
    }

    [Fact]
    public void Poll_FailingRead_KeepsLastSnapshot()
    {
        _notifier.Poll();
        var before = _notifier.Latest;
        var failing = new ClusterNotifier(new ThrowingClusterStatus(), TimeProvider.System, NullLogger<ClusterNotifier>.Instance);

        failing.Poll(); // must not throw

        Assert.Same(before, _notifier.Latest);
    }

    private sealed class ThrowingClusterStatus : ReplDash.Engine.Hosting.IClusterStatus
    {
        public IReadOnlyList<ReplDash.Engine.Hosting.NodeStatus> Nodes() => throw new IOException("node store unavailable");
    }
}
