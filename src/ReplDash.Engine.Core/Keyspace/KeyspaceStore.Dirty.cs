namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Dirty tracking for the node store's checkpoints.</summary>
public sealed partial class KeyspaceStore
{
    // Only key names are tracked; values are encoded once, when the checkpoint takes them.
    private HashSet<byte[]> _dirty = new(ByteArrayComparer.Instance);
    private bool _flushedAll;

    /// <summary>Returns the keys changed since the previous call (encoded values) and forgets them.</summary>
    public DirtyKeys TakeDirty()
    {
        var entries = new List<StoredEntry>(_dirty.Count);
        foreach (var key in _dirty)
        {
            if (_entries.TryGetValue(key, out var entry))
                entries.Add(new StoredEntry(entry.Key, entry.Type, StoredValueCodec.Encode(entry), entry.ExpireAtMs));
            else
                entries.Add(new StoredEntry(key, ValueType.String, null, 0));
        }
        var result = new DirtyKeys(_flushedAll, entries);
        _dirty = new HashSet<byte[]>(ByteArrayComparer.Instance);
        _flushedAll = false;
        return result;
    }

    private void MarkDirty(byte[] key) => _dirty.Add(key);

    private void MarkFlushedAll()
    {
        // Everything before the flush is gone; only keys written afterwards need listing.
        _dirty = new HashSet<byte[]>(ByteArrayComparer.Instance);
        _flushedAll = true;
    }
}
