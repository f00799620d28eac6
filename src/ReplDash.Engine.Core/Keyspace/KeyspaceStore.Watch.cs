namespace ReplDash.Engine.Core.Keyspace;

/// <summary>WATCH support: the registry of watched keys, told of every change.</summary>
public sealed partial class KeyspaceStore
{
    private WatchRegistry? _watches;

    private WatchRegistry Watches => _watches ??= new WatchRegistry(this);

    /// <summary>
    /// Watches <paramref name="key"/> for <paramref name="watcher"/>. <paramref name="nowMs"/> is the master's clock
    /// (null on a slave), to tell a key already past its expiry (whose later deletion is no change) from a live one.
    /// </summary>
    public void Watch(KeyWatcher watcher, byte[] key, long? nowMs) => Watches.Add(watcher, key, nowMs);

    /// <summary>Distinct keys watched by some client (for tests and INFO).</summary>
    public int WatchedKeyCount => _watches?.Count ?? 0;

    /// <summary>This keyspace is being replaced as a whole (full resync): every client watching any of its keys must abort.</summary>
    public void TouchAllWatched() => _watches?.TouchAll();

    private void NotifyWatchers(byte[] key)
    {
        if (_watches is { Count: > 0 } watches)
            watches.Touched(key);
    }
}
