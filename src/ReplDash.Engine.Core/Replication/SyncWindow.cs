using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Replication;

/// <summary>Outcome of checking an ack against the window.</summary>
/// <param name="Valid">False: the ack names a range that was never sent or does not line up (window corruption).</param>
/// <param name="ItemsAcked">Items released by the ack.</param>
/// <param name="Latency">Time from sending the last released item to its ack, in the unit of the clock the caller passes.</param>
/// <param name="Problem">Why the ack was refused.</param>
public readonly record struct AckCheck(bool Valid, int ItemsAcked, long Latency, string? Problem);

/// <summary>
/// The master's per-slave sync window: items sent and not yet acknowledged, bounded by a count and a byte
/// size. An ack must release a prefix of the window exactly (start at the oldest unacked item, end at an
/// item boundary inside the window); anything else is window corruption and the session must be reset,
/// never trusted (lesson L1, Pika's "SyncWin Corruption"). Pure, single-threaded.
/// </summary>
public sealed class SyncWindow(int maxItems, long maxBytes)
{
    private readonly Queue<(BinlogPosition Start, BinlogPosition End, int Bytes, long SentAt)> _inFlight = new();

    public int MaxItems { get; } = maxItems;
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Items sent and not acknowledged.</summary>
    public int InFlightItems => _inFlight.Count;

    /// <summary>Bytes sent and not acknowledged.</summary>
    public long InFlightBytes { get; private set; }

    /// <summary>End of the last item sent.</summary>
    public BinlogPosition SentEnd { get; private set; }

    /// <summary>End of the last item acknowledged.</summary>
    public BinlogPosition AckedEnd { get; private set; }

    /// <summary>Starts the window at the position streaming continues from.</summary>
    public void Reset(BinlogPosition position)
    {
        _inFlight.Clear();
        InFlightBytes = 0;
        SentEnd = position;
        AckedEnd = position;
    }

    /// <summary>True when one more item of <paramref name="bytes"/> may be sent (an empty window always takes one).</summary>
    public bool HasRoomFor(int bytes) =>
        _inFlight.Count == 0 || (_inFlight.Count < MaxItems && InFlightBytes + bytes <= MaxBytes);

    /// <summary>
    /// True once half the window (items or bytes) is in flight: the master then asks for the ack at once, so a
    /// slave that coalesces acks never lets the window fill and stall the stream.
    /// </summary>
    public bool IsHalfFull => _inFlight.Count * 2L >= MaxItems || InFlightBytes * 2 >= MaxBytes;

    /// <summary>Records an item as sent.</summary>
    public void Sent(BinlogPosition start, BinlogPosition end, int bytes, long now)
    {
        _inFlight.Enqueue((start, end, bytes, now));
        InFlightBytes += bytes;
        SentEnd = end;
    }

    /// <summary>Checks an ack for [<paramref name="rangeStart"/>, <paramref name="rangeEnd"/>) and releases it when valid.</summary>
    public AckCheck Ack(BinlogPosition rangeStart, BinlogPosition rangeEnd, long now)
    {
        if (_inFlight.Count == 0)
            return new AckCheck(false, 0, 0, $"ack for {rangeStart}..{rangeEnd} but nothing is in flight (acked up to {AckedEnd})");
        var first = _inFlight.Peek();
        // The oldest unacknowledged item starts where the last ack ended, or at the next segment's first item when the
        // binlog rotated there: a slave names the range from the end of its last ack, so both are the same start.
        if (rangeStart != first.Start && rangeStart != AckedEnd)
            return new AckCheck(false, 0, 0, $"ack starts at {rangeStart}, the oldest unacknowledged item starts at {first.Start}");
        if (rangeEnd <= rangeStart || rangeEnd > SentEnd)
            return new AckCheck(false, 0, 0, $"ack ends at {rangeEnd}, outside what was sent ({first.Start}..{SentEnd})");
        if (!_inFlight.Any(item => item.End == rangeEnd))
            return new AckCheck(false, 0, 0, $"ack ends at {rangeEnd}, which is not the end of an item in flight");

        int released = 0;
        long sentAt = now;
        while (_inFlight.Count > 0 && _inFlight.Peek().End <= rangeEnd)
        {
            var item = _inFlight.Dequeue();
            InFlightBytes -= item.Bytes;
            sentAt = item.SentAt;
            released++;
        }
        AckedEnd = rangeEnd;
        return new AckCheck(true, released, Math.Max(0, now - sentAt), null);
    }
}
