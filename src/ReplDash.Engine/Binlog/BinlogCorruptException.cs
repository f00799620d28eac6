namespace ReplDash.Engine.Binlog;

/// <summary>
/// A binlog item failed its checks somewhere other than a torn tail. The node must stop: replaying past
/// it would silently lose or invent data.
/// </summary>
public sealed class BinlogCorruptException(string filePath, long offset, string reason)
    : Exception($"Binlog corrupt in {filePath} at offset {offset}: {reason}")
{
    /// <summary>The segment file.</summary>
    public string FilePath { get; } = filePath;

    /// <summary>Byte offset in that file where the bad item starts.</summary>
    public long Offset { get; } = offset;
}
