namespace ReplDash.Engine.Core.Keyspace;

/// <summary>SCAN support.</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>
    /// One step of a SCAN walk (see <see cref="ScanOrder"/>): appends to <paramref name="keys"/> up to
    /// about <paramref name="count"/> keys from <paramref name="cursor"/> on and returns the next cursor,
    /// 0 when done. Keys are returned as stored; filtering (MATCH, TYPE, expiry) is the caller's.
    /// </summary>
    internal long ScanStep(long cursor, int count, List<byte[]> keys) => _scanOrder.Walk(cursor, count, keys);

    /// <summary>A key chosen at random, null when the keyspace is empty (expired-but-present keys included).</summary>
    internal byte[]? RandomKey(Random random) => _scanOrder.RandomKey(random);
}
