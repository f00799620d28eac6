namespace ReplDash.Engine.Core.Node;

/// <summary>
/// How long a node waits before its next checkpoint. A checkpoint writes every key changed since the last one to the
/// SQLite store, and a changed collection is written whole: a hash of 60,000 fields that takes one HSET is still
/// serialised and written entirely. At the configured interval (200 ms by default) such a checkpoint cost HSET,
/// LPUSH and ZADD about 40 µs of CPU each on one big key (docs/BENCHMARKS.md, "Data-type commands against Redis").
/// So the checkpoint's own work is held to <see cref="MaxWorkSharePercent"/> of the time: the next one waits the
/// configured interval or 19 times the last one's work, whichever is longer. Nothing is lost by waiting: the binlog
/// (relay log) keeps every change since the last checkpoint, and recovery replays it (retention protects it).
/// </summary>
public static class CheckpointPacing
{
    /// <summary>The share of the time that checkpoint work may take, in percent.</summary>
    public const int MaxWorkSharePercent = 5;

    /// <summary>
    /// The wait before the next checkpoint: <paramref name="configured"/>, or longer when the last checkpoint's
    /// <paramref name="lastWork"/> (the time it held the node and wrote the store, not its wait for the log's fsync)
    /// would otherwise exceed <see cref="MaxWorkSharePercent"/> of the time.
    /// </summary>
    public static TimeSpan NextDelay(TimeSpan configured, TimeSpan lastWork)
    {
        if (lastWork <= TimeSpan.Zero)
            return configured;
        var paced = lastWork * (100 - MaxWorkSharePercent) / MaxWorkSharePercent;
        return paced > configured ? paced : configured;
    }
}
