namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Rank arithmetic shared by ZRANGE, ZREMRANGEBYRANK, LRANGE and LTRIM. (GETRANGE, BITCOUNT and BITPOS clamp differently: a
/// negative end becomes 0 there, as in Redis.)
/// </summary>
internal static class RankRange
{
    /// <summary>
    /// Redis's treatment of a start/stop rank pair (negative counts from the end, stop inclusive) for a collection
    /// of <paramref name="length"/> elements: the first 0-based rank and how many follow; count 0 when empty.
    /// </summary>
    public static (long Start, long Count) Clamp(long start, long stop, long length)
    {
        if (start < 0)
            start = length + start;
        if (stop < 0)
            stop = length + stop;
        if (start < 0)
            start = 0;
        if (start > stop || start >= length)
            return (0, 0);
        if (stop >= length)
            stop = length - 1;
        return (start, stop - start + 1);
    }
}
