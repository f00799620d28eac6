namespace ReplDash.Testing;

/// <summary>Damages a file on disk the way a bad sector or a stray write would, for tests of checksums and recovery.</summary>
public static class FileDamage
{
    /// <summary>Inverts every bit of the byte at <paramref name="offset"/> and flushes it to disk (the file may be open elsewhere).</summary>
    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0xFF));
        file.Flush(flushToDisk: true);
    }
}
