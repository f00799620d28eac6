using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Node;

/// <summary>WATCH and UNWATCH: a client's optimistic lock on keys for its next MULTI/EXEC.</summary>
public sealed partial class DataNode
{
    /// <summary>
    /// Watches <paramref name="keys"/> for <paramref name="watcher"/>: any change to one of them before EXEC, by
    /// anyone (including expiry, FLUSHALL and, on a slave, an applied item), makes EXEC run nothing.
    /// </summary>
    /// <param name="database">The client's selected database: a key is watched in it (the same name elsewhere is another key).</param>
    public void Watch(KeyWatcher watcher, IEnumerable<byte[]> keys, int database = 0)
    {
        lock (_gate)
        {
            EnsureRunning();
            long? now = Role == NodeRole.Master ? _time.GetUtcNow().ToUnixTimeMilliseconds() : null;
            foreach (var key in keys)
                _keyspace[database].Watch(watcher, key, now);
        }
    }

    /// <summary>Forgets the watcher's keys and its dirty flag (UNWATCH, DISCARD, EXEC, a closed connection).</summary>
    public void Unwatch(KeyWatcher watcher)
    {
        if (!watcher.IsWatching && !watcher.Dirty)
            return; // the common case takes no lock
        lock (_gate)
            watcher.UnwatchAll();
    }

    /// <summary>
    /// Under the lock, at EXEC: whether a watched key changed or (on the master) expired since WATCH. Unwatches
    /// either way, as Redis does before running the queued commands, so that they do not count as changes.
    /// <paramref name="dependency"/> is what an abort's reply must wait for: the change that caused it may be a
    /// write still waiting for its acknowledgements, and a null EXEC must not reveal it before it is committed.
    /// </summary>
    private bool WatchedKeysChanged(KeyWatcher? watcher, out BinlogPosition dependency)
    {
        dependency = BinlogPosition.Zero;
        if (watcher is null || (!watcher.IsWatching && !watcher.Dirty))
            return false;
        long? now = Role == NodeRole.Master ? _time.GetUtcNow().ToUnixTimeMilliseconds() : null;
        bool changed = watcher.MustAbort(now);
        if (changed && Role == NodeRole.Master)
        {
            dependency = _pending.Committed;
            // A watch stays with its store, which SWAPDB may have moved to another index: the change may be in any database.
            foreach (var key in watcher.WatchedKeys)
                for (int database = 0; database < _keyspace.DatabaseCount; database++)
                    dependency = BinlogPosition.Max(dependency, _pending.DependencyOf(database, key));
        }
        watcher.UnwatchAll();
        return changed;
    }
}
