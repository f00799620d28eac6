using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>A partial last item that recovery cut off.</summary>
/// <param name="FilePath">The segment file.</param>
/// <param name="Offset">Where the torn item started; the file now ends here.</param>
/// <param name="BytesDiscarded">How many bytes were cut.</param>
public sealed record TornTailRepair(string FilePath, long Offset, long BytesDiscarded)
{
    /// <summary>Where the cut bytes were copied before the cut (docs/OPERATIONS.md, "Damaged binlogs").</summary>
    public string? QuarantinePath { get; init; }
}

/// <summary>
/// An item that failed its checks in a segment other than the last: everything from there to the end of that
/// segment cannot be read, so it is never shipped (a slave that needs it gets a full resync).
/// </summary>
/// <param name="FileNumber">The damaged segment.</param>
/// <param name="FilePath">Its file.</param>
/// <param name="Offset">Where the first bad item starts.</param>
/// <param name="Reason">What failed (checksum or framing, an item cut short).</param>
public sealed record BinlogDamage(long FileNumber, string FilePath, long Offset, string Reason);

/// <summary>The state of a binlog after recovery: what is on disk and where the next item goes.</summary>
public sealed record RecoveredBinlog(
    string Directory,
    IReadOnlyList<SegmentInfo> Segments,
    BinlogPosition End,
    long EndLogicalOffset,
    TransactionId LastTransactionId,
    TornTailRepair? TornTail)
{
    /// <summary>Damaged segments found by the start-up verification (empty when every item checked out).</summary>
    public IReadOnlyList<BinlogDamage> Damage { get; init; } = [];

    /// <summary>Position of the first item that was ever kept.</summary>
    public BinlogPosition Start => new(Segments[0].FileNumber, Segments[0].FirstItemOffset);
}
