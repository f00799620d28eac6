using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Web.Metrics;

/// <summary>
/// Turns a binlog position (file, offset) into a logical byte offset, so positions can share a chart axis.
/// The read model gives the logical offset of one reference position (the log's end); a position in the same
/// file is that many bytes before it. Item framing inside a file counts as log bytes on both sides, so the
/// difference is exact. A position in an older file (just after a rotation) has no cheap logical value.
/// </summary>
public static class PositionScale
{
    /// <summary>
    /// Logical offset of <paramref name="position"/> given that <paramref name="reference"/> is at
    /// <paramref name="referenceLogical"/>; null when they are in different files or the position is unset.
    /// </summary>
    public static long? Logical(BinlogPosition reference, long referenceLogical, BinlogPosition position)
    {
        if (position == default || position.FileNumber != reference.FileNumber)
        {
            return null;
        }

        return Math.Max(0, referenceLogical - (reference.Offset - position.Offset));
    }
}
