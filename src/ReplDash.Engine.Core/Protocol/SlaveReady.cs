using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>A position with its logical offset and the transaction that ends there: what a slave persists and reports.</summary>
/// <param name="Position">The position (in the master's coordinates).</param>
/// <param name="LogicalOffset">Bytes of items before it.</param>
/// <param name="LastId">The transaction that ends there (None at the very start).</param>
public readonly record struct PositionMark(BinlogPosition Position, long LogicalOffset, TransactionId LastId);

/// <summary>One received item to apply, in order.</summary>
public sealed record ApplyItem(BinlogPosition Start, BinlogPosition End, long EndLogical, BinlogItem Item);

/// <summary>The snapshot a slave received whole: load it, check its digest, swap it in with the relay log reset at its tag.</summary>
public sealed record SnapshotCommit(SnapshotBegin Begin, string Digest);

/// <summary>
/// What a <see cref="SlaveMachine"/> step asks the driver to do. Carry it out in this order, which is the protocol's
/// safety:
/// <list type="number">
/// <item><see cref="Dial"/>: connect to the master, then report <see cref="SlaveMachine.OnConnected"/> or
/// <see cref="SlaveMachine.OnConnectFailed"/>;</item>
/// <item><see cref="RelayAppends"/>, in order, to the relay log at the master's own positions;</item>
/// <item><see cref="Applies"/>: queue for the applier, in order; report each with <see cref="SlaveMachine.OnApplied"/>;</item>
/// <item><see cref="RelaySyncTo"/>: make the relay log durable up to there, then report <see cref="SlaveMachine.OnRelaySynced"/>.
/// An Ack is only ever in <see cref="Frames"/> after the relay log was reported synced past its range (sync before ack);</item>
/// <item><see cref="Checkpoint"/>: write the data with this applied position in one transaction (lesson L3); the machine asks
/// only once the relay log is synced that far, so the store is never ahead of the log;</item>
/// <item><see cref="AppliedPositionFile"/>: only with the unsafe switch <see cref="UnsafeSwitches.AppliedPositionOutsideData"/>;</item>
/// <item><see cref="SnapshotBegin"/>, <see cref="SnapshotChunks"/>, <see cref="SnapshotCommit"/>: load a full resync's data aside, then swap
/// it in (discarding in-flight applies) and report <see cref="SlaveMachine.OnSnapshotLoaded"/> or <see cref="SlaveMachine.OnSnapshotFailed"/>;</item>
/// <item><see cref="Frames"/>, in order; then <see cref="Close"/>.</item>
/// </list>
/// </summary>
public sealed partial class SlaveReady
{
    /// <summary>Connect to the master now.</summary>
    public bool Dial { get; set; }

    /// <summary>Items to append to the relay log, in order.</summary>
    public List<AppendItem> RelayAppends { get; } = new();

    /// <summary>Items to apply, in order.</summary>
    public List<ApplyItem> Applies { get; } = new();

    /// <summary>Sync the relay log up to here (null: nothing asked).</summary>
    public BinlogPosition? RelaySyncTo { get; set; }

    /// <summary>Checkpoint the data with this applied position, atomically.</summary>
    public PositionMark? Checkpoint { get; set; }

    /// <summary>UNSAFE (tests only): write the applied position to its own file, apart from the data.</summary>
    public PositionMark? AppliedPositionFile { get; set; }

    /// <summary>A snapshot begins: open a loading store.</summary>
    public SnapshotBegin? SnapshotBegin { get; set; }

    /// <summary>Snapshot keys to write into the loading store.</summary>
    public List<SnapshotChunk> SnapshotChunks { get; } = new();

    /// <summary>The snapshot is whole: verify and swap it in.</summary>
    public SnapshotCommit? SnapshotCommit { get; set; }

    /// <summary>Frames to send on the current link, in order.</summary>
    public List<LinkFrame> Frames { get; } = new();

    /// <summary>Close the link.</summary>
    public LinkClose? Close { get; set; }

    /// <summary>Events for operators.</summary>
    public List<ProtocolEvent> Events { get; } = new();

    /// <summary>Call <see cref="SlaveMachine.Tick"/> at this time (µs) at the latest.</summary>
    public long? NextTickUs { get; set; }
}

/// <summary>What a slave trusts after a restart (lesson L3).</summary>
public static class SlaveRecovery
{
    /// <summary>
    /// The applied position to trust: the one stored with the data, always; with the unsafe switch
    /// <see cref="UnsafeSwitches.AppliedPositionOutsideData"/>, a separately written file when there is one (MySQL's
    /// crash-unsafe replica).
    /// </summary>
    public static PositionMark TrustedApplied(PositionMark storedWithData, PositionMark? separateFile, ProtocolOptions options) =>
        options.Has(UnsafeSwitches.AppliedPositionOutsideData) && separateFile is { } file ? file : storedWithData;
}
