namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The keys one client WATCHes for its next MULTI/EXEC (optimistic locking). Any change to a watched key after
/// WATCH, by anyone (another client, this client, expiry, FLUSHALL, a replicated apply), makes the watcher
/// <see cref="Dirty"/>, and its EXEC then runs nothing. Used only under the node's lock, like the keyspace.
/// </summary>
public sealed class KeyWatcher
{
    internal List<WatchedKey> Keys { get; } = new();

    /// <summary>True once a watched key changed: the next EXEC must abort.</summary>
    public bool Dirty { get; internal set; }

    /// <summary>The watched keys (of every keyspace), each once.</summary>
    public IEnumerable<byte[]> WatchedKeys => Keys.Select(k => k.Key);

    /// <summary>True while at least one key is watched.</summary>
    public bool IsWatching => Keys.Count > 0;

    /// <summary>
    /// True when EXEC must abort: a watched key changed, or (Redis's rule) a key that was live when watched has
    /// expired by <paramref name="nowMs"/> (the master's clock; null while nothing expires on this node's clock).
    /// </summary>
    public bool MustAbort(long? nowMs)
    {
        if (Dirty)
            return true;
        foreach (var watched in Keys)
        {
            if (watched.StaleWhenWatched)
                continue;
            var entry = watched.Registry.Store.Peek(watched.Key);
            if (entry is not null && KeyspaceStore.IsDue(entry, nowMs))
                return true;
        }
        return false;
    }

    /// <summary>Forgets every watched key and the dirty flag (EXEC, DISCARD, UNWATCH, a closed connection).</summary>
    public void UnwatchAll()
    {
        foreach (var watched in Keys)
            watched.Registry.Remove(watched);
        Keys.Clear();
        Dirty = false;
    }
}

/// <summary>One key watched by one client, in one keyspace.</summary>
internal sealed class WatchedKey(KeyWatcher watcher, WatchRegistry registry, byte[] key, bool staleWhenWatched)
{
    public KeyWatcher Watcher { get; } = watcher;

    public WatchRegistry Registry { get; } = registry;

    public byte[] Key { get; } = key;

    /// <summary>
    /// The key was present but already past its expiry when watched: its later deletion (by expiry, DEL or
    /// FLUSHALL) changes nothing a client could see, so it does not abort EXEC (Redis 7's rule for stale keys).
    /// </summary>
    public bool StaleWhenWatched { get; set; } = staleWhenWatched;
}
