namespace ReplDash.Engine.Core.Keyspace;

/// <summary>The type of a key, for code outside the command handlers.</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>The type <paramref name="key"/> holds (expired-but-not-yet-deleted keys included), or null when absent. No side effects.</summary>
    public ValueType? TypeOf(byte[] key) => _entries.TryGetValue(key, out var entry) ? entry.Type : null;
}
