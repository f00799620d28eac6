using System.Buffers.Binary;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// Opens a binlog directory at start: checks every segment header, verifies every item's checksum in every
/// segment, cuts off a torn tail (a partial last item left by a crash, copied to a quarantine file first)
/// and refuses a corrupt last segment.
/// </summary>
/// <remarks>
/// Torn tail or corruption? After the first bad item of the last segment the rest of it is searched for any
/// whole, checksum-valid item. None: what follows the last good item was never completely written, so it
/// is cut (a crash mid-append), after its bytes are copied aside. One found: good data sits after bad data,
/// which no crash of an append-only writer produces, so the node stops with the file and offset instead of
/// discarding it. A bad last item that the store says was durable (the store reflects the log beyond it) is
/// damage too: refused, and the file is left untouched for the operator.
/// An earlier segment is never written again, so any bad item there is damage. It is reported in
/// <see cref="RecoveredBinlog.Damage"/> rather than refused: the node's data is in its store and memory, and
/// only the shipping of that range is lost (docs/OPERATIONS.md, "Damaged binlogs").
/// </remarks>
public static class BinlogRecovery
{
    /// <summary>Opens (creating when empty) the binlog in <paramref name="directory"/>.</summary>
    /// <param name="directory">The binlog (or relay log) folder.</param>
    /// <param name="quarantineDirectory">Where a torn tail's bytes are copied before the cut
    /// (default: <c>quarantine/</c> inside <paramref name="directory"/>).</param>
    /// <param name="storePosition">The node's store reflects every item before this position: a damaged tail
    /// before it held durable items, so it is refused, not cut. Zero: no such check (a slave's relay log).</param>
    /// <param name="time">Names the quarantine file (default: the system clock).</param>
    /// <exception cref="BinlogCorruptException">A bad header, a bad last-segment item followed by good ones, or a
    /// bad tail the store says was durable.</exception>
    public static RecoveredBinlog Open(string directory, string? quarantineDirectory = null, BinlogPosition storePosition = default,
        TimeProvider? time = null)
    {
        Directory.CreateDirectory(directory);
        var numbers = BinlogDirectory.ListSegmentNumbers(directory);
        if (numbers.Count == 0)
        {
            BinlogDirectory.CreateSegment(directory, 1, 0).Dispose();
            numbers.Add(1);
        }

        var segments = new List<SegmentInfo>();
        for (int i = 0; i < numbers.Count; i++)
        {
            var path = BinlogDirectory.SegmentPath(directory, numbers[i]);
            var header = BinlogDirectory.ReadHeader(path);
            bool isLast = i == numbers.Count - 1;
            if (header is null && isLast && new FileInfo(path).Length < BinlogFormat.SegmentHeaderSize && segments.Count > 0)
            {
                // A crash while creating the next segment: it holds no item, so it can go.
                File.Delete(path);
                DirectorySync.Fsync(directory);
                break;
            }
            if (header is null)
                throw new BinlogCorruptException(path, 0, "invalid segment header");
            if (i > 0 && numbers[i] != numbers[i - 1] + 1)
                throw new BinlogCorruptException(path, 0, $"segment {BinlogFileNames.SegmentName(numbers[i - 1] + 1)} is missing");
            segments.Add(new SegmentInfo(numbers[i], path, header.Value.StartLogicalOffset, header.Value.FirstItemOffset));
        }

        var damage = new List<BinlogDamage>();
        foreach (var segment in segments.Take(segments.Count - 1))
            if (VerifySegment(segment) is { } found)
                damage.Add(found);

        var last = segments[^1];
        var scan = ScanSegment(last.Path, last.FirstItemOffset);
        TornTailRepair? torn = null;
        long fileLength = new FileInfo(last.Path).Length;
        if (scan.EndOffset < fileLength)
        {
            if (scan.FirstBadOffset is long bad && HasValidItemAfter(last.Path, bad))
                throw new BinlogCorruptException(last.Path, bad, "checksum or framing error before the end of the log");
            var cut = new BinlogPosition(last.FileNumber, scan.EndOffset);
            if (storePosition > cut)
                throw new BinlogCorruptException(last.Path, scan.EndOffset,
                    $"the item there is damaged, but the store reflects the log up to {storePosition}, so it was durable, not torn by a crash; the file is left as it is");
            // Nothing is destroyed to get past an error: the bytes go to quarantine before the cut.
            var quarantined = BinlogQuarantine.CopyTail(last.Path, scan.EndOffset,
                quarantineDirectory ?? Path.Combine(directory, "quarantine"), Node.DefaultClock.Or(time).GetUtcNow());
            torn = new TornTailRepair(last.Path, scan.EndOffset, fileLength - scan.EndOffset) { QuarantinePath = quarantined };
            using var file = new FileStream(last.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            file.SetLength(scan.EndOffset);
            file.Flush(flushToDisk: true);
        }

        var lastId = scan.LastId;
        if (lastId == TransactionId.None && segments.Count > 1)
            lastId = ScanSegment(segments[^2].Path, segments[^2].FirstItemOffset).LastId; // just rotated: the last item is in the previous segment

        var end = new BinlogPosition(last.FileNumber, scan.EndOffset);
        long endLogical = last.StartLogicalOffset + scan.EndOffset - last.FirstItemOffset;
        return new RecoveredBinlog(directory, segments, end, endLogical, lastId, torn) { Damage = damage };
    }

    /// <summary>Checks every item of a segment that is no longer written; the first bad one, or null.</summary>
    private static BinlogDamage? VerifySegment(SegmentInfo segment)
    {
        using var reader = new SegmentItemReader(segment.Path, segment.FirstItemOffset);
        long length = new FileInfo(segment.Path).Length;
        while (true)
        {
            long offset = reader.Offset;
            var status = reader.VerifyNext(long.MaxValue);
            if (status == ItemDecodeStatus.Ok)
                continue;
            if (status == ItemDecodeStatus.Corrupt)
                return new BinlogDamage(segment.FileNumber, segment.Path, offset, "checksum or framing error");
            return offset < length ? new BinlogDamage(segment.FileNumber, segment.Path, offset, "the segment ends inside an item") : null;
        }
    }

    private sealed record SegmentScan(long EndOffset, long? FirstBadOffset, TransactionId LastId);

    private static SegmentScan ScanSegment(string path, int firstItemOffset)
    {
        using var reader = new SegmentItemReader(path, firstItemOffset);
        var lastId = TransactionId.None;
        while (true)
        {
            long offset = reader.Offset;
            var status = reader.ReadNext(long.MaxValue, out var item, out _);
            if (status == ItemDecodeStatus.Ok)
            {
                lastId = item!.Id;
                continue;
            }
            return new SegmentScan(offset, status == ItemDecodeStatus.Corrupt ? offset : null, lastId);
        }
    }

    /// <summary>True when a whole, valid item starts anywhere after <paramref name="badOffset"/>.</summary>
    private static bool HasValidItemAfter(string path, long badOffset)
    {
        byte[] rest;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            file.Position = badOffset + 1;
            rest = new byte[file.Length - file.Position];
            file.ReadExactly(rest);
        }
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, BinlogFormat.ItemMagic);
        var span = rest.AsSpan();
        int at = 0;
        while (true)
        {
            int found = span[at..].IndexOf(magic);
            if (found < 0)
                return false;
            at += found;
            if (BinlogItemCodec.TryDecode(span[at..], out _, out _) == ItemDecodeStatus.Ok)
                return true;
            at++;
        }
    }
}
