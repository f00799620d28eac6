using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>A partial last item that recovery cut off.</summary>
/// <param name="FilePath">The segment file.</param>
/// <param name="Offset">Where the torn item started; the file now ends here.</param>
/// <param name="BytesDiscarded">How many bytes were cut.</param>
public sealed record TornTailRepair(string FilePath, long Offset, long BytesDiscarded);

/// <summary>The state of a binlog after recovery: what is on disk and where the next item goes.</summary>
public sealed record RecoveredBinlog(
    string Directory,
    IReadOnlyList<SegmentInfo> Segments,
    BinlogPosition End,
    long EndLogicalOffset,
    TransactionId LastTransactionId,
    TornTailRepair? TornTail)
{
    /// <summary>Position of the first item that was ever kept.</summary>
    public BinlogPosition Start => new(Segments[0].FileNumber, Segments[0].FirstItemOffset);
}
