namespace ReplDash.Engine.Core.Consistency;

/// <summary>
/// Sizes chunks to a time target, as pt-table-checksum does (docs/CONSISTENCY.md): after each chunk the next one
/// takes as many buckets as the last one's speed says fit in the target, never more than twice the last (a chunk
/// of empty buckets says little about the next) nor less than half of it (one slow measurement, a thread preempted on
/// a busy machine, must not cut the chunks tenfold), never fewer than one, never more than the configured maximum.
/// </summary>
public static class ChunkSizer
{
    /// <summary>Buckets for the next chunk, given the last chunk's buckets and the microseconds its digest took.</summary>
    public static int Next(int lastBuckets, long lastElapsedUs, long targetUs, int maxBuckets)
    {
        maxBuckets = Math.Clamp(maxBuckets, 1, KeyBuckets.Count);
        lastBuckets = Math.Clamp(lastBuckets, 1, maxBuckets);
        long fitting = lastElapsedUs <= 0 ? (long)lastBuckets * 2 : (long)lastBuckets * targetUs / lastElapsedUs;
        long next = Math.Clamp(fitting, lastBuckets / 2, (long)lastBuckets * 2);
        return (int)Math.Clamp(next, 1, maxBuckets);
    }
}
