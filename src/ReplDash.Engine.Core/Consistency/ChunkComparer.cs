using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>Compares two nodes' per-key digests of the same chunk at the same position: the drill-down to the key.</summary>
public static class ChunkComparer
{
    /// <summary>
    /// Every key that differs between <paramref name="master"/> and <paramref name="slave"/>, both directions, ordered
    /// by key bytes (a stable order for reports).
    /// </summary>
    public static List<KeyDifference> Compare(IReadOnlyList<KeyDigest> master, IReadOnlyList<KeyDigest> slave)
    {
        var slaveByKey = new Dictionary<byte[], KeyDigest>(slave.Count, ByteArrayComparer.Instance);
        foreach (var key in slave)
            slaveByKey[key.Key] = key;
        var differences = new List<KeyDifference>();
        foreach (var mine in master)
        {
            if (!slaveByKey.Remove(mine.Key, out var theirs))
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
        differences.Sort((a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return differences;
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
