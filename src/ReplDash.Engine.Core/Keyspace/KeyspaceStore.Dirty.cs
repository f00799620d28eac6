namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Dirty tracking for the node store's checkpoints.</summary>
public sealed partial class KeyspaceStore
{
    // The entries changed since the last checkpoint, in the order of their first change, each listed once
    // (KeyEntry.Dirty). Entries rather than key names: no hashing per write, and no lookup per key when the
    // checkpoint takes them. A key deleted and created again is listed twice, as its old (removed) entry
    // and its new one, in that order, so the checkpoint deletes and then writes it.
    private List<KeyEntry> _dirty = new();
    private bool _flushedAll;

    /// <summary>Returns the keys changed since the previous call (encoded values) and forgets them.</summary>
    public DirtyKeys TakeDirty()
    {
        var entries = new List<StoredEntry>(_dirty.Count);
        foreach (var entry in _dirty)
        {
            entry.Dirty = false;
            entries.Add(entry.Removed ? StoredEntry.Deleted(entry.Key) : StoredValueCodec.ToStored(entry));
        }
        var result = new DirtyKeys(_flushedAll, entries);
        _dirty.Clear();
        _flushedAll = false;
        return result;
    }

    private void MarkDirty(KeyEntry entry)
    {
        // Every change passes here, so this is also where WATCH learns of it (before the once-per-checkpoint check).
        NotifyWatchers(entry.Key);
        if (entry.Dirty)
            return;
        entry.Dirty = true;
        _dirty.Add(entry);
    }

    private void MarkFlushedAll()
    {
        // Everything before the flush is gone (those entries are never used again); only keys written
        // afterwards need listing.
        _dirty = new List<KeyEntry>();
        _flushedAll = true;
    }
}
