using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>One segment file of a binlog.</summary>
public sealed record SegmentInfo(long FileNumber, string Path, long StartLogicalOffset, int FirstItemOffset);

/// <summary>Finds and names the segment files in a node's binlog directory.</summary>
public static class BinlogDirectory
{
    /// <summary>Path of segment <paramref name="fileNumber"/>.</summary>
    public static string SegmentPath(string directory, long fileNumber) =>
        Path.Combine(directory, BinlogFileNames.SegmentName(fileNumber));

    /// <summary>Segment numbers present on disk, ascending.</summary>
    public static List<long> ListSegmentNumbers(string directory)
    {
        var numbers = new List<long>();
        if (!Directory.Exists(directory))
            return numbers;
        foreach (var path in Directory.EnumerateFiles(directory, "binlog.*"))
            if (BinlogFileNames.TryParseSegmentName(Path.GetFileName(path), out long n))
                numbers.Add(n);
        numbers.Sort();
        return numbers;
    }

    /// <summary>Reads a segment's header; null when the file is too short or the header is invalid.</summary>
    public static SegmentHeader? ReadHeader(string path)
    {
        Span<byte> bytes = stackalloc byte[BinlogFormat.SegmentHeaderSize];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        if (file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            return null;
        return SegmentHeader.TryRead(bytes, out var header) ? header : null;
    }

    /// <summary>
    /// Creates a segment file holding only its header, synced together with the directory. A relay segment
    /// mirroring a master file from mid-file starts its items at <paramref name="firstItemOffset"/>.
    /// </summary>
    public static FileStream CreateSegment(string directory, long fileNumber, long startLogicalOffset,
        int firstItemOffset = BinlogFormat.SegmentHeaderSize)
    {
        var path = SegmentPath(directory, fileNumber);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1);
        Span<byte> header = stackalloc byte[BinlogFormat.SegmentHeaderSize];
        new SegmentHeader(startLogicalOffset, firstItemOffset).WriteTo(header);
        file.Write(header);
        if (firstItemOffset > BinlogFormat.SegmentHeaderSize)
            file.SetLength(firstItemOffset); // a hole where the master's earlier items are; never read
        file.Position = firstItemOffset;
        file.Flush(flushToDisk: true);
        DirectorySync.Fsync(directory);
        return file;
    }
}
