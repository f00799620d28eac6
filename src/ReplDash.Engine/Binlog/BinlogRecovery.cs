using System.Buffers.Binary;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// Opens a binlog directory at start: checks every segment header, scans the last segment item by item,
/// cuts off a torn tail (a partial last item left by a crash) and refuses a corrupt middle.
/// </summary>
/// <remarks>
/// Torn tail or corruption? After the first bad item the rest of the segment is searched for any
/// whole, checksum-valid item. None: what follows the last good item was never completely written, so it
/// is cut (a crash mid-append). One found: good data sits after bad data, which no crash of an
/// append-only writer produces, so the node stops with the file and offset instead of discarding it.
/// </remarks>
public static class BinlogRecovery
{
    /// <summary>Opens (creating when empty) the binlog in <paramref name="directory"/>.</summary>
    /// <exception cref="BinlogCorruptException">A bad header, or a bad item followed by good ones.</exception>
    public static RecoveredBinlog Open(string directory)
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

        var last = segments[^1];
        var scan = ScanSegment(last.Path, last.FirstItemOffset);
        TornTailRepair? torn = null;
        long fileLength = new FileInfo(last.Path).Length;
        if (scan.EndOffset < fileLength)
        {
            if (scan.FirstBadOffset is long bad && HasValidItemAfter(last.Path, bad))
                throw new BinlogCorruptException(last.Path, bad, "checksum or framing error before the end of the log");
            torn = new TornTailRepair(last.Path, scan.EndOffset, fileLength - scan.EndOffset);
            using var file = new FileStream(last.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            file.SetLength(scan.EndOffset);
            file.Flush(flushToDisk: true);
        }

        var lastId = scan.LastId;
        if (lastId == TransactionId.None && segments.Count > 1)
            lastId = ScanSegment(segments[^2].Path, segments[^2].FirstItemOffset).LastId; // just rotated: the last item is in the previous segment

        var end = new BinlogPosition(last.FileNumber, scan.EndOffset);
        long endLogical = last.StartLogicalOffset + scan.EndOffset - last.FirstItemOffset;
        return new RecoveredBinlog(directory, segments, end, endLogical, lastId, torn);
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
