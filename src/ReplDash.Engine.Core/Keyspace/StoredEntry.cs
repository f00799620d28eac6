namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Type tags of stored values (also used in the SQLite store and the digest).</summary>
public enum ValueType : byte
{
    String = 1,
    Hash = 2,
    List = 3,
    Set = 4,
    /// <summary>A sorted set (<see cref="ZSet"/>).</summary>
    ZSet = 5,
}

/// <summary>
/// One key as the node store persists it: its type, its value encoded by <see cref="StoredValueCodec"/>,
/// and its absolute expiry (Unix ms, 0 = none). <see cref="Value"/> is null for a deleted key.
/// </summary>
public readonly record struct StoredEntry(byte[] Key, ValueType Type, byte[]? Value, long ExpireAtMs)
{
    public bool IsDeleted => Value is null;

    /// <summary>The stored form of an absent (deleted) key.</summary>
    public static StoredEntry Deleted(byte[] key) => new(key, ValueType.String, null, 0);
}

/// <summary>What changed since the last checkpoint. When <see cref="FlushedAll"/> is true the store must first delete everything.</summary>
public sealed record DirtyKeys(bool FlushedAll, IReadOnlyList<StoredEntry> Entries);
