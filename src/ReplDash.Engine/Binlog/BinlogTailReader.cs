using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// Follows a binlog from a position as it grows, returning each item's verified bytes, never reading past
/// the limit it is given (the durable end: an item is shipped only once durable). Keeps its file open
/// between calls; moves to the next segment when the master rotated.
/// </summary>
public sealed class BinlogTailReader(string directory, BinlogPosition from) : IDisposable
{
    private SegmentItemReader? _reader;

    /// <summary>Where the next item starts.</summary>
    public BinlogPosition Position { get; private set; } = from;

    /// <summary>Reads the next item before <paramref name="limit"/>; false when caught up.</summary>
    /// <exception cref="BinlogCorruptException">An item fails its checksum, or a segment ends inside an item.</exception>
    public bool TryReadNext(BinlogPosition limit, out ShippedItem item)
    {
        item = default;
        while (Position < limit)
        {
            _reader ??= Open(Position);
            if (Position.Offset < _reader.Offset)
                Position = Position with { Offset = _reader.Offset }; // the segment's first item
            long fileLimit = Position.FileNumber == limit.FileNumber ? limit.Offset : long.MaxValue;
            var status = _reader.ReadNextRaw(fileLimit, out var raw);
            if (status == ItemDecodeStatus.Ok)
            {
                item = new ShippedItem(Position, raw!);
                Position = item.End;
                return true;
            }
            if (status == ItemDecodeStatus.Corrupt)
                throw new BinlogCorruptException(_reader.Path, Position.Offset, "checksum or framing error while streaming");
            if (Position.FileNumber >= limit.FileNumber)
                return false;
            if (Position.Offset < new FileInfo(_reader.Path).Length)
                throw new BinlogCorruptException(_reader.Path, Position.Offset, "segment ends inside an item");
            _reader.Dispose();
            _reader = null;
            Position = new BinlogPosition(Position.FileNumber + 1, 0);
        }
        return false;
    }

    private SegmentItemReader Open(BinlogPosition position)
    {
        var path = BinlogDirectory.SegmentPath(directory, position.FileNumber);
        var header = BinlogDirectory.ReadHeader(path) ?? throw new BinlogCorruptException(path, 0, "invalid segment header");
        return new SegmentItemReader(path, Math.Max(position.Offset, header.FirstItemOffset));
    }

    public void Dispose() => _reader?.Dispose();
}
