using System.Diagnostics;

namespace ReplDash.Engine.Node;

/// <summary>
/// Monotonic microseconds, the one clock of send-to-ack latencies and semi-sync waits: a sync session measures
/// an ack's latency with it and the master's semi-sync bookkeeping records that latency against it.
/// </summary>
internal static class MonotonicClock
{
    public static long NowUs() => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);

    /// <summary>
    /// Microseconds on <paramref name="time"/>'s monotonic timestamp: the same clock as <see cref="NowUs()"/> with
    /// <see cref="TimeProvider.System"/>, and a test's fake clock otherwise.
    /// </summary>
    public static long NowUs(TimeProvider time)
    {
        long ticks = time.GetTimestamp();
        long frequency = time.TimestampFrequency;
        if (frequency % 1_000_000 == 0)
            return ticks / (frequency / 1_000_000);
        return (long)((Int128)ticks * 1_000_000 / frequency);
    }
}
