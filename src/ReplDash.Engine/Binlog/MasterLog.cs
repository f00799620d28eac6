using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// The master's binlog as the protocol machine reads it (<see cref="IMasterLog"/>): recent items from the flusher's
/// <see cref="BinlogMemoryTail"/>, older ones from the segment files. Each read sequence keeps a
/// <see cref="MasterLogReader"/> between calls (found again by the position the next call starts at), so a slave
/// that catches up reads the files once, checksums verified, and then the memory, as the sync session's own loop does.
/// </summary>
public sealed class MasterLog : IMasterLog, IDisposable
{
    // Readers kept between calls: one per streaming slave is enough; more belong to sessions that ended.
    private const int MaxIdleReaders = 16;

    /// <summary>A reader between calls, with the item it read that did not fit the last call's byte budget.</summary>
    private sealed record IdleReader(MasterLogReader Reader, ShippedItem? Held)
    {
        public BinlogPosition Position => Held?.Start ?? Reader.Position;
    }

    private readonly string _directory;
    private readonly BinlogMemoryTail? _memory;
    private readonly string _masterId;
    private readonly Func<BinlogPosition> _damagedThrough;
    private readonly object _gate = new();
    private readonly LinkedList<IdleReader> _idle = new(); // least recently used first

    /// <param name="directory">The binlog's directory.</param>
    /// <param name="memory">The flusher's window (null: files only).</param>
    /// <param name="masterId">This master's node id (TrySync compares histories by it).</param>
    /// <param name="damagedThrough">The end of the damaged range found in the binlog (default: none).</param>
    public MasterLog(string directory, BinlogMemoryTail? memory, string masterId, Func<BinlogPosition> damagedThrough)
    {
        _directory = directory;
        _memory = memory;
        _masterId = masterId;
        _damagedThrough = damagedThrough;
    }

    /// <inheritdoc />
    /// <exception cref="BinlogCorruptException">An item read from a file fails its checksum.</exception>
    public IReadOnlyList<ShippedItem> Read(BinlogPosition from, BinlogPosition upTo, int maxItems, long maxBytes)
    {
        var idle = TakeIdle(from);
        var reader = idle?.Reader ?? new MasterLogReader(_directory, _memory, from);
        var held = idle?.Held;
        var items = new List<ShippedItem>();
        long bytes = 0;
        try
        {
            while (items.Count < maxItems)
            {
                ShippedItem item;
                if (held is { } waiting && waiting.End <= upTo)
                    item = waiting;
                else if (held is null && reader.TryReadNext(upTo, out var next))
                    item = next;
                else
                    break;
                held = null;
                if (items.Count > 0 && bytes + item.Encoded.Length > maxBytes)
                {
                    held = item; // the next call starts with it
                    break;
                }
                items.Add(item);
                bytes += item.Encoded.Length;
            }
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        KeepIdle(new IdleReader(reader, held));
        return items;
    }

    /// <inheritdoc />
    public long LogicalOffsetOf(BinlogPosition position)
    {
        if (_memory is not null && _memory.TryLogicalOffsetOf(position, out long logical))
            return logical;
        var header = BinlogDirectory.ReadHeader(BinlogDirectory.SegmentPath(_directory, position.FileNumber))
            ?? throw new InvalidDataException($"no valid segment for {position}");
        return header.StartLogicalOffset + Math.Max(0, position.Offset - header.FirstItemOffset);
    }

    /// <inheritdoc />
    public MasterBinlogView View(BinlogPosition durableEnd, long lastSequence)
    {
        var numbers = BinlogDirectory.ListSegmentNumbers(_directory);
        var firstPath = BinlogDirectory.SegmentPath(_directory, numbers[0]);
        int firstOffset = BinlogDirectory.ReadHeader(firstPath)?.FirstItemOffset ?? BinlogFormat.SegmentHeaderSize;
        var reader = new BinlogReader(_directory);
        // Reads for this TrySync never start before the damaged range's end (positions up to it get a full resync).
        var damaged = _damagedThrough();
        return new MasterBinlogView(
            new BinlogPosition(numbers[0], firstOffset),
            numbers[0] == 1,
            durableEnd,
            position => reader.IsItemBoundary(position, durableEnd, ScanStart(position.FileNumber, damaged)),
            position => IdBefore(reader, position, numbers[0], damaged),
            damaged,
            _masterId,
            lastSequence);
    }

    /// <summary>Where reading segment <paramref name="fileNumber"/> may start: its beginning, or past a damaged range in it.</summary>
    private static BinlogPosition ScanStart(long fileNumber, BinlogPosition damagedThrough) =>
        damagedThrough.FileNumber == fileNumber ? damagedThrough : new BinlogPosition(fileNumber, 0);

    private static TransactionId IdBefore(BinlogReader reader, BinlogPosition position, long firstSegment, BinlogPosition damagedThrough)
    {
        // The item ending at position is in its segment, or (when position is a segment's first item)
        // the last item of the previous segment.
        var last = TransactionId.None;
        foreach (var entry in reader.Read(ScanStart(position.FileNumber, damagedThrough), position))
            last = entry.Item.Id;
        if (last != TransactionId.None || position.FileNumber <= firstSegment)
            return last;
        var previous = ScanStart(position.FileNumber - 1, damagedThrough);
        foreach (var entry in reader.Read(previous, new BinlogPosition(position.FileNumber, 0)))
            last = entry.Item.Id;
        return last;
    }

    private IdleReader? TakeIdle(BinlogPosition from)
    {
        lock (_gate)
        {
            for (var node = _idle.First; node is not null; node = node.Next)
                if (node.Value.Position == from)
                {
                    _idle.Remove(node);
                    return node.Value;
                }
            return null;
        }
    }

    private void KeepIdle(IdleReader reader)
    {
        IdleReader? dropped = null;
        lock (_gate)
        {
            _idle.AddLast(reader);
            if (_idle.Count > MaxIdleReaders)
            {
                dropped = _idle.First!.Value;
                _idle.RemoveFirst();
            }
        }
        dropped?.Reader.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var idle in _idle)
                idle.Reader.Dispose();
            _idle.Clear();
        }
    }
}
