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
/// and its absolute expiry (Unix ms, 0 = none). <see cref="Value"/> is null for a deleted key. <see cref="Database"/> is
/// the numbered database holding it (0 unless a client selected another).
/// </summary>
public readonly record struct StoredEntry(byte[] Key, ValueType Type, byte[]? Value, long ExpireAtMs, int Database = 0)
{
    public bool IsDeleted => Value is null;

    /// <summary>The stored form of an absent (deleted) key.</summary>
    public static StoredEntry Deleted(byte[] key) => new(key, ValueType.String, null, 0);
}

/// <summary>
/// What changed since the last checkpoint, applied in this order: <see cref="Earlier"/> changes (a failed checkpoint's,
/// kept), then when <see cref="FlushedAll"/> is true delete everything, then <see cref="Swaps"/> (SWAPDB, relabelling
/// stored rows), then delete the rows of <see cref="FlushedDatabases"/>, then write <see cref="Entries"/> (each in its
/// <see cref="StoredEntry.Database"/>).
/// </summary>
public sealed record DirtyKeys(bool FlushedAll, IReadOnlyList<StoredEntry> Entries)
{
    /// <summary>SWAPDBs since the last checkpoint, in order.</summary>
    public IReadOnlyList<(int First, int Second)> Swaps { get; init; } = [];

    /// <summary>Databases emptied (FLUSHDB, FLUSHALL) since the last checkpoint, by their index after the swaps.</summary>
    public IReadOnlyList<int> FlushedDatabases { get; init; } = [];

    /// <summary>Changes to apply before these ones (kept from a checkpoint that failed), or null.</summary>
    public DirtyKeys? Earlier { get; init; }

    /// <summary>True when only keys changed (no flush, no swap): such changes can simply be concatenated.</summary>
    public bool KeysOnly => !FlushedAll && Swaps.Count == 0 && FlushedDatabases.Count == 0;

    /// <summary>These changes, then <paramref name="later"/> ones.</summary>
    public DirtyKeys Then(DirtyKeys later) => later.KeysOnly && later.Earlier is null
        ? this with { Entries = [.. Entries, .. later.Entries] }
        : later with { Earlier = later.Earlier is null ? this : Then(later.Earlier) };

    /// <summary>The change sets in the order to apply them (<see cref="Earlier"/> first), each without its Earlier.</summary>
    public List<DirtyKeys> InOrder()
    {
        var chain = new List<DirtyKeys>();
        for (var changes = this; changes is not null; changes = changes.Earlier)
            chain.Add(changes with { Earlier = null });
        chain.Reverse();
        return chain;
    }
}
