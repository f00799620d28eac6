using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Tests.Infrastructure;

/// <summary>A cluster status with fixed, recognisable values, for asserting exact API output.</summary>
public sealed class FakeClusterStatus : IClusterStatus
{
    /// <summary>The nodes returned; replace to simulate change.</summary>
    public IReadOnlyList<NodeStatus> Current { get; set; } =
    [
        new NodeStatus("m1", "master", "running", 6390, new BinlogPosition(3, 4096), new BinlogPosition(3, 2048),
            LogicalOffset: 123_456, KeyCount: 1_234, OpsPerSecond: 1_234.56, LastError: null),
        new NodeStatus("s1", "slave", "failed", 6391, new BinlogPosition(1, 4), new BinlogPosition(1, 4),
            LogicalOffset: 0, KeyCount: 0, OpsPerSecond: 0, LastError: "disk full"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<NodeStatus> Nodes() => Current;
}
