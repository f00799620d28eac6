namespace ReplDash.Engine.Core.Keyspace;

/// <summary>One key's state as a value, for reads of the committed state while a newer write is pending.</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>
    /// Copies <paramref name="key"/> as it is now (Value null when absent) unless its value is larger than
    /// <paramref name="maxBytes"/>: copying a big collection on every write would cost more than the wait it saves.
    /// </summary>
    public bool TryCapture(byte[] key, int maxBytes, out StoredEntry image)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            image = StoredEntry.Deleted(key);
            return true;
        }
        if (ApproximateBytes(entry) > maxBytes)
        {
            image = default;
            return false;
        }
        image = StoredValueCodec.ToStored(entry);
        return true;
    }

    private static long ApproximateBytes(KeyEntry entry) => entry.Type switch
    {
        ValueType.String => entry.StringValue.Length,
        ValueType.Hash => entry.HashValue.Count * 32L,
        ValueType.List => entry.ListValue.Count * 16L,
        ValueType.Set => entry.SetValue.Count * 16L,
        ValueType.ZSet => entry.ZSetValue.Count * 48L,
        _ => long.MaxValue,
    };
}
