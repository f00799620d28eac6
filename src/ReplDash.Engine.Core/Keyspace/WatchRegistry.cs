namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// Which clients watch which keys of one keyspace. Every change to a key passes through
/// <see cref="Touched"/>; with nothing watched that costs one count check, so clients that never WATCH pay
/// nothing else.
/// </summary>
internal sealed class WatchRegistry(KeyspaceStore store)
{
    private readonly Dictionary<byte[], List<WatchedKey>> _byKey = new(ByteArrayComparer.Instance);

    /// <summary>The keyspace the watched keys belong to.</summary>
    public KeyspaceStore Store { get; } = store;

    /// <summary>Distinct keys watched by at least one client.</summary>
    public int Count => _byKey.Count;

    /// <summary>Starts watching <paramref name="key"/> for <paramref name="watcher"/> (once, however often asked).</summary>
    public void Add(KeyWatcher watcher, byte[] key, long? nowMs)
    {
        // Looked up through the key's own watchers (usually one or two), so WATCH of many keys stays linear.
        if (_byKey.TryGetValue(key, out var list))
        {
            foreach (var existing in list)
            {
                if (existing.Watcher == watcher)
                    return;
            }
        }
        else
        {
            list = new List<WatchedKey>(1);
            _byKey.Add(key, list);
        }
        var entry = Store.Peek(key);
        var watched = new WatchedKey(watcher, this, key, staleWhenWatched: entry is not null && KeyspaceStore.IsDue(entry, nowMs));
        list.Add(watched);
        watcher.Keys.Add(watched);
    }

    /// <summary>Stops one watch.</summary>
    public void Remove(WatchedKey watched)
    {
        if (!_byKey.TryGetValue(watched.Key, out var list))
            return;
        list.Remove(watched);
        if (list.Count == 0)
            _byKey.Remove(watched.Key);
    }

    /// <summary>A key was created, changed, given or cleared an expiry, or deleted: its watchers become dirty.</summary>
    public void Touched(byte[] key)
    {
        if (_byKey.Count == 0 || !_byKey.TryGetValue(key, out var list))
            return;
        bool present = Store.ContainsKey(key);
        foreach (var watched in list)
            MarkChanged(watched, present);
    }

    /// <summary>FLUSHALL: every watched key that exists now is about to be deleted.</summary>
    public void TouchExisting()
    {
        foreach (var (key, list) in _byKey)
        {
            if (!Store.ContainsKey(key))
                continue;
            foreach (var watched in list)
            {
                if (watched.StaleWhenWatched)
                    watched.StaleWhenWatched = false; // a stale key deleted: logically no change
                else
                    watched.Watcher.Dirty = true;
            }
        }
    }

    /// <summary>The whole keyspace was replaced (a full resync): every watcher becomes dirty.</summary>
    public void TouchAll()
    {
        foreach (var list in _byKey.Values)
            foreach (var watched in list)
                watched.Watcher.Dirty = true;
    }

    private static void MarkChanged(WatchedKey watched, bool present)
    {
        if (watched.StaleWhenWatched && !present)
        {
            // Deleting a key that was already expired when watched is no change a client could have seen;
            // from now on it is a plain absent key, whose creation would count.
            watched.StaleWhenWatched = false;
            return;
        }
        watched.Watcher.Dirty = true;
    }
}
