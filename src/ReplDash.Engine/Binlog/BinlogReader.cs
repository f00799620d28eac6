using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>One item read back from the binlog with where it starts and ends.</summary>
public sealed record BinlogEntry(BinlogPosition Start, BinlogPosition End, BinlogItem Item);

/// <summary>Reads a node's binlog forward from any item boundary, verifying every checksum.</summary>
public sealed class BinlogReader(string directory)
{
    /// <summary>
    /// The items from <paramref name="from"/> (an item boundary) up to <paramref name="until"/> (exclusive;
    /// bytes past it are never looked at, so a concurrent writer's unflushed group is safe).
    /// </summary>
    /// <exception cref="BinlogCorruptException">An item fails its checksum, or a segment ends early.</exception>
    public IEnumerable<BinlogEntry> Read(BinlogPosition from, BinlogPosition until)
    {
        var position = from;
        while (position < until)
        {
            var path = BinlogDirectory.SegmentPath(directory, position.FileNumber);
            if (!File.Exists(path))
                throw new BinlogCorruptException(path, position.Offset, "segment file is missing");
            int firstItem = BinlogDirectory.ReadHeader(path)?.FirstItemOffset
                ?? throw new BinlogCorruptException(path, 0, "invalid segment header");
            if (position.Offset < firstItem)
                position = position with { Offset = firstItem };
            long limit = position.FileNumber == until.FileNumber ? until.Offset : long.MaxValue;
            using (var reader = new SegmentItemReader(path, position.Offset))
            {
                while (true)
                {
                    var start = new BinlogPosition(position.FileNumber, reader.Offset);
                    if (start.Offset >= limit)
                        break;
                    var status = reader.ReadNext(limit, out var item, out int size);
                    if (status == ItemDecodeStatus.Corrupt)
                        throw new BinlogCorruptException(path, start.Offset, "checksum or framing error");
                    if (status == ItemDecodeStatus.Incomplete)
                    {
                        if (limit != long.MaxValue || start.Offset < new FileInfo(path).Length)
                            throw new BinlogCorruptException(path, start.Offset, "item ends past the readable end of the log");
                        break; // the clean end of an earlier segment
                    }
                    var end = new BinlogPosition(position.FileNumber, start.Offset + size);
                    yield return new BinlogEntry(start, end, item!);
                }
            }
            if (position.FileNumber == until.FileNumber)
                yield break;
            position = new BinlogPosition(position.FileNumber + 1, 0); // its first item offset is read above
        }
    }

    /// <summary>
    /// True when an item starts exactly at <paramref name="position"/> or the log's <paramref name="end"/> is
    /// there. Positions inside an item, or past the end, are not boundaries (lesson L1: never start a
    /// stream in the middle of an item).
    /// </summary>
    /// <param name="position">The position to check.</param>
    /// <param name="end">Where the log ends.</param>
    /// <param name="scanFrom">A known item boundary in the same segment, at or before <paramref name="position"/>, to
    /// scan from instead of the segment's start (past a damaged range). Default: the segment's start.</param>
    public bool IsItemBoundary(BinlogPosition position, BinlogPosition end, BinlogPosition scanFrom = default)
    {
        if (position == end)
            return true;
        if (position > end || position.Offset < BinlogFormat.SegmentHeaderSize)
            return false;
        var segmentStart = scanFrom.FileNumber == position.FileNumber && scanFrom <= position ? scanFrom : new BinlogPosition(position.FileNumber, 0);
        foreach (var entry in Read(segmentStart, position.FileNumber == end.FileNumber ? end : new BinlogPosition(position.FileNumber + 1, 0)))
        {
            if (entry.Start == position)
                return true;
            if (entry.Start > position)
                return false;
        }
        return false;
    }
}
