using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// One slave's reader of the master's binlog, for shipping: from the segment files while it catches up, from the
/// flusher's <see cref="BinlogMemoryTail"/> once caught up. It starts on the files (a reconnecting slave's range is
/// read, and its checksums verified, as before); when the files have nothing more below the limit and the memory
/// window holds its position it moves to memory; when the window has dropped its position (a slow slave) it goes back
/// to the files, and to memory again once caught up. Positions, segment rotation and the limit are the same either way.
/// Not thread-safe: one sync session's send loop uses it.
/// </summary>
public sealed class MasterLogReader : IDisposable
{
    private readonly string _directory;
    private readonly BinlogMemoryTail? _memory;
    private BinlogTailReader? _file;
    private long _serial = -1;

    /// <param name="directory">The binlog's directory.</param>
    /// <param name="memory">The flusher's window, or null to read only the files.</param>
    /// <param name="from">An item boundary to read from.</param>
    public MasterLogReader(string directory, BinlogMemoryTail? memory, BinlogPosition from)
    {
        _directory = directory;
        _memory = memory;
        _file = new BinlogTailReader(directory, from);
        Position = from;
    }

    /// <summary>Where the next item starts (the end of the last item read).</summary>
    public BinlogPosition Position { get; private set; }

    /// <summary>True while items come from memory.</summary>
    public bool ReadsMemory => _file is null;

    /// <summary>Items read from memory so far.</summary>
    public long ItemsFromMemory { get; private set; }

    /// <summary>Items read from the files so far.</summary>
    public long ItemsFromFiles { get; private set; }

    /// <summary>Times the memory window had dropped this reader's position and it went back to the files.</summary>
    public int FellBehind { get; private set; }

    /// <summary>Reads the next item ending no later than <paramref name="limit"/> (the shippable end); false when caught up.</summary>
    /// <exception cref="BinlogCorruptException">An item read from a file fails its checksum, or a segment ends inside an item.</exception>
    public bool TryReadNext(BinlogPosition limit, out ShippedItem item)
    {
        if (_file is null)
        {
            switch (_memory!.TryRead(Position, limit, ref _serial, out item))
            {
                case MemoryTailRead.Item:
                    Position = item.End;
                    ItemsFromMemory++;
                    return true;
                case MemoryTailRead.CaughtUp:
                    return false;
                default:
                    // Dropped from the window before this reader got to it: the files have it.
                    _file = new BinlogTailReader(_directory, Position);
                    FellBehind++;
                    break;
            }
        }
        if (_file.TryReadNext(limit, out item))
        {
            Position = item.End;
            ItemsFromFiles++;
            return true;
        }
        // Caught up with what may be shipped: what comes next is in memory, unless the window no longer holds this point.
        if (_memory is not null && _memory.Holds(Position))
        {
            _file.Dispose();
            _file = null;
            _serial = -1;
        }
        return false;
    }

    public void Dispose() => _file?.Dispose();
}
