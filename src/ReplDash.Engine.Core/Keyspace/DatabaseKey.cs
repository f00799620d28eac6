namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// A key in one numbered database: the same name in another database is another key. Compare with
/// <see cref="DatabaseKeyComparer"/> (the key's bytes, not the array's identity).
/// </summary>
/// <param name="Database">SELECT's index.</param>
/// <param name="Key">The key's bytes.</param>
public readonly record struct DatabaseKey(int Database, byte[] Key);

/// <summary>Equality and hashing of <see cref="DatabaseKey"/> by database and key content.</summary>
public sealed class DatabaseKeyComparer : IEqualityComparer<DatabaseKey>
{
    /// <summary>The shared instance (the comparer holds no state).</summary>
    public static readonly DatabaseKeyComparer Instance = new();

    private DatabaseKeyComparer()
    {
    }

    /// <summary>True when both name the same database and hold the same key bytes.</summary>
    public bool Equals(DatabaseKey x, DatabaseKey y) => x.Database == y.Database && ByteArrayComparer.Instance.Equals(x.Key, y.Key);

    /// <summary>A hash of the database and the key's content (randomized per process, never persisted).</summary>
    public int GetHashCode(DatabaseKey obj) => HashCode.Combine(obj.Database, ByteArrayComparer.Instance.GetHashCode(obj.Key));
}
