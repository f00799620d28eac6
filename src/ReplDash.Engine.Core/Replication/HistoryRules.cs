using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Replication;

/// <summary>Where a master's own history ends: the next item it takes back must continue exactly here.</summary>
/// <param name="MasterId">The master's node id: the origin of every transaction it wrote.</param>
/// <param name="End">Where its binlog ends (the next item starts here, or at the first item of the next segment).</param>
/// <param name="LastSequence">The sequence of its last transaction (0 when it wrote none).</param>
public readonly record struct OwnHistoryEnd(string MasterId, BinlogPosition End, long LastSequence);

/// <summary>The verdict on one item a slave sent back.</summary>
/// <param name="Item">The decoded item when valid.</param>
/// <param name="Next">The master's history end once the item is appended (unchanged when refused).</param>
/// <param name="Problem">Why the item is not the master's own history; null when it is.</param>
public sealed record TailItemCheck(BinlogItem? Item, OwnHistoryEnd Next, string? Problem)
{
    /// <summary>True when the item continues the master's own history and may be appended.</summary>
    public bool Valid => Problem is null;
}

/// <summary>
/// Lesson L5: a master never overwrites history a slave holds beyond it. A slave's relay log mirrors the master's
/// binlog at the same positions with the same transaction identities, so what a slave holds beyond the master's
/// end can be verified as the master's own (checksum, position continuity, the master's origin with its sequence
/// continuing) and taken back. Anything else is history the master cannot verify: the link stops and an operator
/// decides. Pure; table-tested.
/// </summary>
public static class HistoryRules
{
    /// <summary>
    /// A slave's relay log ends beyond the master's end. Its last transaction must be the master's own and later than
    /// the master's last one; then the master asks for the items back, else it refuses to touch the slave's history.
    /// </summary>
    public static TrySyncReply JudgeSlaveAhead(TrySync request, OwnHistoryEnd master)
    {
        var last = request.LastReceived;
        if (last.Origin != master.MasterId)
            return Diverged($"the slave holds history beyond the master's end {master.End} up to {request.Received} whose last transaction {last} " +
                $"is not of this master's origin {master.MasterId}", master.End);
        if (last.Sequence <= master.LastSequence)
            return Diverged($"the slave holds history beyond the master's end {master.End} up to {request.Received} whose last transaction {last} " +
                $"does not continue the master's sequence (last {master.MasterId}:{master.LastSequence})", master.End);
        return new TrySyncReply(TrySyncOutcome.SendBack, master.End,
            $"the slave holds items beyond the master's end {master.End} up to {request.Received} (last {last}): sending them back");
    }

    /// <summary>
    /// Verifies one item a slave sent back against the master's history end: whole and checksum-valid, starting where
    /// the master's binlog ends (or at the first item of the next segment, where the master had rotated), of the
    /// master's origin with the next sequence number.
    /// </summary>
    public static TailItemCheck CheckTailItem(OwnHistoryEnd end, BinlogPosition start, ReadOnlySpan<byte> encoded)
    {
        var status = BinlogItemCodec.TryDecode(encoded, out var item, out int size);
        if (status != ItemDecodeStatus.Ok || size != encoded.Length)
            return Refused(end, $"the item at {start} fails its checksum or is not one whole item ({status}, {encoded.Length} bytes)");
        bool continues = start == end.End
            || (start.FileNumber == end.End.FileNumber + 1 && start.Offset == BinlogFormat.SegmentHeaderSize);
        if (!continues)
            return Refused(end, $"the item {item!.Id} at {start} does not continue the master's binlog ending at {end.End}");
        if (item!.Id.Origin != end.MasterId)
            return Refused(end, $"the transaction {item.Id} at {start} is not of this master's origin {end.MasterId}");
        if (item.Id.Sequence != end.LastSequence + 1)
            return Refused(end, $"the transaction {item.Id} at {start} does not continue the master's sequence " +
                $"(expected {end.MasterId}:{end.LastSequence + 1})");
        var itemEnd = start with { Offset = start.Offset + size };
        return new TailItemCheck(item, end with { End = itemEnd, LastSequence = item.Id.Sequence }, null);
    }

    /// <summary>The reply that stops the link: history the master cannot verify as its own.</summary>
    public static TrySyncReply Diverged(string reason, BinlogPosition masterEnd) =>
        new(TrySyncOutcome.Diverged, masterEnd, reason + "; refusing to overwrite it (the slave keeps its data until an operator asks for a full resync)");

    private static TailItemCheck Refused(OwnHistoryEnd end, string problem) => new(null, end, problem);
}
