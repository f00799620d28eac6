using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Cluster;
using ReplDash.Web.Metrics;
using ReplDash.Web.Tests.Health;

namespace ReplDash.Web.Tests.Metrics;

public sealed class MetricSampleFactoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, 400, TimeSpan.Zero);

    [Fact]
    public void Build_MeasuresWriteRateAndCarriesTheMastersViewOntoTheSlave()
    {
        var factory = new MetricSampleFactory();
        factory.Build(Snapshot(T0, masterEnd: 1_000, masterLogical: 1_000, acked: 600, ackLatencyMs: 2));

        var samples = factory.Build(Snapshot(T0.AddSeconds(2), masterEnd: 3_000, masterLogical: 3_000, acked: 2_000, ackLatencyMs: 4));

        var m1 = samples.Single(s => s.NodeId == "m1");
        Assert.Equal(1_000, m1.WriteBytesPerSecond, precision: 6);
        Assert.Equal(T0.AddSeconds(2).ToUnixTimeMilliseconds() / 1000 * 1000, m1.TimeUnixMs);
        var s1 = samples.Single(s => s.NodeId == "s1");
        Assert.Equal(2_000, s1.AckedLogical);
        Assert.Equal(3_000, s1.SentLogical);
        Assert.Equal(4_000, s1.AckLatencyLastUs);
        Assert.Equal(2_000, s1.AckLatencyP50Us); // of the two acks seen: 2 ms and 4 ms
        Assert.Equal(4_000, s1.AckLatencyP99Us);
    }

    [Fact]
    public void Build_NoNewAck_DoesNotCountTheOldLatencyAgain()
    {
        var factory = new MetricSampleFactory();
        factory.Build(Snapshot(T0, 1_000, 1_000, acked: 600, ackLatencyMs: 9));

        var samples = factory.Build(Snapshot(T0.AddSeconds(1), 1_000, 1_000, acked: 600, ackLatencyMs: 9));

        Assert.Null(samples.Single(s => s.NodeId == "s1").AckLatencyLastUs);
    }

    [Fact]
    public void PositionScale_SameFileIsExact_OtherFileUnknown()
    {
        Assert.Equal(900, PositionScale.Logical(new BinlogPosition(2, 500), 1_000, new BinlogPosition(2, 400)));
        Assert.Null(PositionScale.Logical(new BinlogPosition(2, 500), 1_000, new BinlogPosition(1, 400)));
    }

    private static ClusterSnapshot Snapshot(DateTimeOffset at, long masterEnd, long masterLogical, long acked, long ackLatencyMs)
    {
        var master = LinkHealthClassifierTests.Node("m1", "master") with
        {
            BinlogEnd = new BinlogPosition(1, masterEnd),
            Durable = new BinlogPosition(1, masterEnd),
            LogicalOffset = masterLogical,
            Slaves = [new SlaveLinkView("s1", "127.0.0.1:1", "streaming", new BinlogPosition(1, masterEnd), new BinlogPosition(1, acked), default,
                0, 9000, 1 << 20, 3, 300, ackLatencyMs, 0, 3, 300)],
        };
        var slave = LinkHealthClassifierTests.Slave("streaming");
        return new ClusterSnapshot(at, [master, slave]);
    }
}
