namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// A key in one numbered database: the same name in another database is another key. Compare with
/// <see cref="Comparer"/> (the key's bytes, not the array's identity).
/// </summary>
/// <param name="Database">SELECT's index.</param>
/// <param name="Key">The key's bytes.</param>
public readonly record struct DatabaseKey(int Database, byte[] Key)
{
    /// <summary>Equality and hashing by database and key content (hashes randomized per process, never persisted).</summary>
    public static IEqualityComparer<DatabaseKey> Comparer { get; } = new ContentComparer();

    private sealed class ContentComparer : IEqualityComparer<DatabaseKey>
    {
        public bool Equals(DatabaseKey x, DatabaseKey y) => x.Database == y.Database && ByteArrayComparer.Instance.Equals(x.Key, y.Key);

        public int GetHashCode(DatabaseKey obj) => HashCode.Combine(obj.Database, ByteArrayComparer.Instance.GetHashCode(obj.Key));
    }
}
