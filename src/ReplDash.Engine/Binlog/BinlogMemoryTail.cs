using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Binlog;

/// <summary>How a read from the <see cref="BinlogMemoryTail"/> went.</summary>
public enum MemoryTailRead
{
    /// <summary>The next item was handed out.</summary>
    Item,

    /// <summary>The reader is at the window's end (or the next item ends beyond its limit): nothing to ship yet.</summary>
    CaughtUp,

    /// <summary>The window does not hold the reader's position (evicted, or never held): read the files.</summary>
    NotHeld,
}

/// <summary>
/// The master's most recently flushed binlog items, in memory, so that a slave that is caught up is shipped the group
/// the flusher has just written instead of reading it back from the segment file. Filled by the flusher once a group
/// may be shipped (written, and synced when the policy syncs it): every item it holds is one a crash cannot take back
/// under the node's sync policy, exactly as <c>ShippableEnd</c> is. Bounded by bytes: the oldest items are dropped
/// whatever the readers, so a slow slave costs no memory; a reader whose position was dropped reads the files.
/// Thread-safe: one flusher appends while any number of sync sessions read.
/// </summary>
public sealed class BinlogMemoryTail
{
    /// <summary>Bytes counted per item on top of its encoded bytes (the array's header and the window's entry).</summary>
    public const int ItemOverheadBytes = 64;

    /// <summary>The window's default bound: a few seconds of replicated SETs on this machine, and far below the heap.</summary>
    public const long DefaultCapacityBytes = 8L * 1024 * 1024;

    private readonly record struct Entry(ShippedItem Item, long Logical);

    private readonly object _gate = new();
    private readonly long _capacityBytes;
    private Entry[] _ring = new Entry[1024];
    private int _head;
    private int _count;
    private long _bytes;
    // Serial number of the oldest held item (every item ever appended has one, in order).
    private long _firstSerial;
    // Where the window begins: the end of the item before the oldest held one (the window's end when empty).
    private BinlogPosition _before;
    private BinlogPosition _end;
    private long _endLogical;

    /// <param name="end">Where the log ends now (the first item appended continues it).</param>
    /// <param name="endLogical">Logical offset of <paramref name="end"/>.</param>
    /// <param name="capacityBytes">Most bytes held (encoded items plus <see cref="ItemOverheadBytes"/> each).</param>
    public BinlogMemoryTail(BinlogPosition end, long endLogical, long capacityBytes = DefaultCapacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _capacityBytes = capacityBytes;
        _before = _end = end;
        _endLogical = endLogical;
    }

    /// <summary>Where the window begins (a reader there or later, up to <see cref="End"/>, is served from memory).</summary>
    public BinlogPosition Start { get { lock (_gate) return _before; } }

    /// <summary>Where the last item appended ends.</summary>
    public BinlogPosition End { get { lock (_gate) return _end; } }

    /// <summary>Items held now.</summary>
    public int Count { get { lock (_gate) return _count; } }

    /// <summary>Bytes held now (encoded items plus <see cref="ItemOverheadBytes"/> each); never above the capacity.</summary>
    public long Bytes { get { lock (_gate) return _bytes; } }

    /// <summary>
    /// Appends items the flusher has just made shippable, in log order, and drops the oldest beyond the capacity. An item
    /// that does not continue the window (neither at its end nor at the start of a later segment) starts a new window:
    /// readers at the old end then read the files, which are the truth.
    /// </summary>
    public void Append(IReadOnlyList<ShippedItem> items, long firstLogical)
    {
        lock (_gate)
        {
            long logical = firstLogical;
            foreach (var item in items)
            {
                bool continues = item.Start == _end || (item.Start.FileNumber > _end.FileNumber && logical == _endLogical);
                if (!continues || logical != _endLogical)
                    Restart(item.Start, logical);
                Add(new Entry(item, logical));
                logical += item.Encoded.Length;
                _end = item.End;
                _endLogical = logical;
            }
            while (_bytes > _capacityBytes && _count > 0)
                DropOldest();
        }
    }

    /// <summary>
    /// Hands out the item that starts at <paramref name="position"/> (or, at a segment's end, the first item of the next
    /// segment), when it ends no later than <paramref name="limit"/>. <paramref name="serial"/> is the caller's hint
    /// (the serial after its last item, -1 at first) and comes back pointing after the item handed out.
    /// </summary>
    public MemoryTailRead TryRead(BinlogPosition position, BinlogPosition limit, ref long serial, out ShippedItem item)
    {
        item = default;
        lock (_gate)
        {
            long at = Locate(position, serial);
            if (at < 0)
                return MemoryTailRead.NotHeld;
            serial = at;
            if (at == _firstSerial + _count)
                return MemoryTailRead.CaughtUp;
            var next = EntryAt(at).Item;
            if (next.End > limit)
                return MemoryTailRead.CaughtUp;
            item = next;
            serial = at + 1;
            return MemoryTailRead.Item;
        }
    }

    /// <summary>True when a reader at <paramref name="position"/> would be served from memory.</summary>
    public bool Holds(BinlogPosition position)
    {
        lock (_gate)
            return Locate(position, -1) >= 0;
    }

    /// <summary>The logical offset of an item boundary inside the window; false for a position the window does not hold.</summary>
    public bool TryLogicalOffsetOf(BinlogPosition position, out long logical)
    {
        lock (_gate)
        {
            long at = Locate(position, -1);
            logical = at < 0 ? 0 : at == _firstSerial + _count ? _endLogical : EntryAt(at).Logical;
            return at >= 0;
        }
    }

    /// <summary>
    /// The serial of the item a reader at <paramref name="position"/> reads next (the window's end serial when it is at
    /// the end), or -1 when the window does not hold the position. The hint is tried first (the usual case: the
    /// reader's previous item was the one before).
    /// </summary>
    private long Locate(BinlogPosition position, long hint)
    {
        long endSerial = _firstSerial + _count;
        if (hint >= _firstSerial && hint <= endSerial && PredecessorEnd(hint) == position)
            return hint;
        if (position == _end)
            return endSerial;
        if (position == _before)
            return _firstSerial;
        if (_count == 0 || position < _before || position > _end)
            return -1;
        // Binary search for the first item starting at or after the position.
        long low = _firstSerial, high = endSerial - 1;
        while (low < high)
        {
            long middle = low + (high - low) / 2;
            if (EntryAt(middle).Item.Start < position)
                low = middle + 1;
            else
                high = middle;
        }
        // An item starting there, or the first item of the next segment when the position ends the one before it.
        return EntryAt(low).Item.Start == position || PredecessorEnd(low) == position ? low : -1;
    }

    private BinlogPosition PredecessorEnd(long serial) => serial == _firstSerial ? _before : EntryAt(serial - 1).Item.End;

    private Entry EntryAt(long serial) => _ring[(_head + (int)(serial - _firstSerial)) % _ring.Length];

    private void Add(Entry entry)
    {
        if (_count == _ring.Length)
        {
            var grown = new Entry[_ring.Length * 2];
            for (int i = 0; i < _count; i++)
                grown[i] = _ring[(_head + i) % _ring.Length];
            _ring = grown;
            _head = 0;
        }
        _ring[(_head + _count) % _ring.Length] = entry;
        _count++;
        _bytes += entry.Item.Encoded.Length + ItemOverheadBytes;
    }

    private void DropOldest()
    {
        var oldest = _ring[_head];
        _ring[_head] = default; // the bytes go to the GC now, not when the slot is reused
        _head = (_head + 1) % _ring.Length;
        _count--;
        _firstSerial++;
        _bytes -= oldest.Item.Encoded.Length + ItemOverheadBytes;
        _before = oldest.Item.End;
    }

    /// <summary>Empties the window and begins it again at <paramref name="start"/>.</summary>
    private void Restart(BinlogPosition start, long logical)
    {
        while (_count > 0)
            DropOldest();
        _before = _end = start;
        _endLogical = logical;
    }
}
