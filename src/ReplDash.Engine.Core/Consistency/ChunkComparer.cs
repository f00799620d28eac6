using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>Compares two nodes' per-key digests of the same chunk at the same position: the drill-down to the key.</summary>
public static class ChunkComparer
{
    /// <summary>
    /// Every key that differs between <paramref name="master"/> and <paramref name="slave"/>, both directions, ordered
    /// by database and key bytes (a stable order for reports). A key is the same key only in the same database.
    /// </summary>
    public static List<KeyDifference> Compare(IReadOnlyList<KeyDigest> master, IReadOnlyList<KeyDigest> slave)
    {
        var slaveByKey = new Dictionary<(int Database, byte[] Key), KeyDigest>(slave.Count, DatabaseKeyComparer.Instance);
        foreach (var key in slave)
            slaveByKey[(key.Database, key.Key)] = key;
        var differences = new List<KeyDifference>();
        foreach (var mine in master)
        {
            if (!slaveByKey.Remove((mine.Database, mine.Key), out var theirs))
            {
                differences.Add(new KeyDifference(mine.Key, DifferenceKind.MissingOnSlave, mine, null));
                continue;
            }
            var kind = Differences(mine, theirs);
            if (kind != DifferenceKind.None)
                differences.Add(new KeyDifference(mine.Key, kind, mine, theirs));
        }
        foreach (var extra in slaveByKey.Values)
            differences.Add(new KeyDifference(extra.Key, DifferenceKind.MissingOnMaster, null, extra));
        differences.Sort((a, b) =>
        {
            int database = a.Database.CompareTo(b.Database);
            return database != 0 ? database : ByteArrayComparer.Instance.Compare(a.Key, b.Key);
        });
        return differences;
    }

    /// <summary>Equality of (database, key bytes).</summary>
    private sealed class DatabaseKeyComparer : IEqualityComparer<(int Database, byte[] Key)>
    {
        public static readonly DatabaseKeyComparer Instance = new();

        public bool Equals((int Database, byte[] Key) x, (int Database, byte[] Key) y) =>
            x.Database == y.Database && ByteArrayComparer.Instance.Equals(x.Key, y.Key);

        public int GetHashCode((int Database, byte[] Key) obj) =>
            HashCode.Combine(obj.Database, ByteArrayComparer.Instance.GetHashCode(obj.Key));
    }

    /// <summary>How two views of a key present on both sides differ.</summary>
    public static DifferenceKind Differences(KeyDigest master, KeyDigest slave)
    {
        var kind = DifferenceKind.None;
        if (master.Type != slave.Type)
            kind |= DifferenceKind.Type;
        if (!master.ValueDigest.AsSpan().SequenceEqual(slave.ValueDigest))
            kind |= DifferenceKind.Value;
        if (master.ExpireAtMs != slave.ExpireAtMs)
            kind |= DifferenceKind.Ttl;
        return kind;
    }
}
