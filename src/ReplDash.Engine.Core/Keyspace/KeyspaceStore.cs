namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The in-memory dataset of one node (database 0). Not thread-safe: the node holds one lock around
/// every call. Tracks which keys changed since the last checkpoint so the node store writes only those.
/// STUB: the API is fixed; the implementation is being written.
/// </summary>
public sealed partial class KeyspaceStore
{
    /// <summary>Number of keys (expired-but-not-yet-deleted keys included).</summary>
    public long Count => throw new NotImplementedException();

    /// <summary>Number of keys with an expiry.</summary>
    public long ExpiresCount => throw new NotImplementedException();

    /// <summary>
    /// Order-independent digest of the whole dataset (keys, types, values, expiry): two nodes holding the
    /// same data answer the same 40 hex characters whatever the order of writes; all zeros when empty.
    /// </summary>
    public string DigestHex() => throw new NotImplementedException();

    /// <summary>Returns the keys changed since the previous call (encoded values) and forgets them.</summary>
    public DirtyKeys TakeDirty() => throw new NotImplementedException();

    /// <summary>Loads one key from the node store at start (does not mark it dirty).</summary>
    public void Load(StoredEntry entry) => throw new NotImplementedException();

    /// <summary>
    /// Active expiry on the master: deletes up to <paramref name="maxKeys"/> keys whose expiry is at or
    /// before the context's clock, recording a DEL effect for each. Returns how many were deleted.
    /// </summary>
    public int SweepExpired(Commands.CommandContext context, int maxKeys) => throw new NotImplementedException();
}
