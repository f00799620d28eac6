namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Whole-dataset export, for a full resync's snapshot.</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>Every key with its encoded value and expiry: a consistent copy, taken under the node lock.</summary>
    public List<StoredEntry> ExportAll()
    {
        var entries = new List<StoredEntry>(_entries.Count);
        foreach (var entry in _entries.Values)
            entries.Add(StoredValueCodec.ToStored(entry));
        return entries;
    }
}
