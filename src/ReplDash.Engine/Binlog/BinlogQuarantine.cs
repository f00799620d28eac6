namespace ReplDash.Engine.Binlog;

/// <summary>
/// Copies bytes that recovery is about to cut (a torn tail) into a quarantine folder first, so that nothing
/// is destroyed to get past an error (lesson L5): an operator can still inspect or restore them.
/// </summary>
public static class BinlogQuarantine
{
    /// <summary>
    /// Copies the bytes of <paramref name="segmentPath"/> from <paramref name="offset"/> to its end into
    /// <c>&lt;quarantineDirectory&gt;/&lt;segment&gt;.&lt;offset&gt;.&lt;yyyyMMddTHHmmssfffZ&gt;.torn</c>, synced with its
    /// folder before returning, and returns that file's path.
    /// </summary>
    public static string CopyTail(string segmentPath, long offset, string quarantineDirectory, DateTimeOffset now)
    {
        if (!Directory.Exists(quarantineDirectory))
        {
            Directory.CreateDirectory(quarantineDirectory);
            if (Path.GetDirectoryName(Path.GetFullPath(quarantineDirectory)) is { } parent)
                DirectorySync.Fsync(parent);
        }
        var name = $"{Path.GetFileName(segmentPath)}.{offset}.{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}.torn";
        var target = Path.Combine(quarantineDirectory, name);
        for (int attempt = 1; File.Exists(target); attempt++)
            target = Path.Combine(quarantineDirectory, $"{name}.{attempt}"); // never overwrite an earlier copy
        using (var source = new FileStream(segmentPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            source.Position = offset;
            source.CopyTo(copy);
            copy.Flush(flushToDisk: true);
        }
        DirectorySync.Fsync(quarantineDirectory);
        return target;
    }
}
