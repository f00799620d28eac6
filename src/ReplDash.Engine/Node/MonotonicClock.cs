using System.Diagnostics;

namespace ReplDash.Engine.Node;

/// <summary>
/// Monotonic microseconds, the one clock of send-to-ack latencies and semi-sync waits: a sync session measures
/// an ack's latency with it and the master's semi-sync bookkeeping records that latency against it.
/// </summary>
internal static class MonotonicClock
{
    public static long NowUs() => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
}
