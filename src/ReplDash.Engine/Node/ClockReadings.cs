namespace ReplDash.Engine.Node;

/// <summary>
/// Readings of a node's one clock, its <see cref="TimeProvider"/>, in the units the engine's rules take. Every
/// delay, deadline and elapsed time of the engine comes from that provider (docs/ARCHITECTURE.md, "One clock"):
/// the system clock in a process, a test's fake clock otherwise.
/// </summary>
internal static class ClockReadings
{
    /// <summary>
    /// Monotonic microseconds on <paramref name="time"/>'s timestamp: what send-to-ack latencies, the sync window and
    /// the semi-sync deadlines are measured in. Comparable only with other readings of the same provider.
    /// </summary>
    public static long MonotonicMicroseconds(this TimeProvider time)
    {
        long ticks = time.GetTimestamp();
        long frequency = time.TimestampFrequency;
        if (frequency % 1_000_000 == 0)
            return ticks / (frequency / 1_000_000);
        return (long)((Int128)ticks * 1_000_000 / frequency);
    }

    /// <summary>
    /// A token cancelled by <paramref name="outer"/> or once <paramref name="after"/> has passed on <paramref name="time"/>
    /// (what <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> does on the system clock only). Dispose it.
    /// </summary>
    public static CancellationDeadline Deadline(this TimeProvider time, TimeSpan after, CancellationToken outer) => new(time, after, outer);
}

/// <summary>A cancellation token with a deadline on a node's clock, linked to an outer token.</summary>
internal sealed class CancellationDeadline : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _linked;

    /// <summary>Starts the deadline: <paramref name="after"/> from now on <paramref name="time"/>.</summary>
    public CancellationDeadline(TimeProvider time, TimeSpan after, CancellationToken outer)
    {
        _deadline = new CancellationTokenSource(after, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _deadline.Token);
    }

    /// <summary>Cancelled at the deadline or with the outer token.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True once the deadline (not the outer token) has passed.</summary>
    public bool Expired => _deadline.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _deadline.Dispose();
    }
}
