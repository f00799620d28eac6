namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The keys that have an expiry, ordered by expiry time, so active expiry finds the due keys without
/// walking the whole keyspace.
/// </summary>
internal sealed class ExpiryIndex
{
    private readonly SortedSet<(long AtMs, byte[] Key)> _byTime = new(new DueOrder());

    public int Count => _byTime.Count;

    public void Add(long atMs, byte[] key) => _byTime.Add((atMs, key));

    public void Remove(long atMs, byte[] key) => _byTime.Remove((atMs, key));

    public void Clear() => _byTime.Clear();

    /// <summary>The key with the earliest expiry when that expiry is at or before <paramref name="nowMs"/>.</summary>
    public bool TryPeekDue(long nowMs, out byte[] key)
    {
        if (_byTime.Count > 0)
        {
            var first = _byTime.Min;
            if (first.AtMs <= nowMs)
            {
                key = first.Key;
                return true;
            }
        }
        key = [];
        return false;
    }

    private sealed class DueOrder : IComparer<(long AtMs, byte[] Key)>
    {
        public int Compare((long AtMs, byte[] Key) x, (long AtMs, byte[] Key) y)
        {
            int byTime = x.AtMs.CompareTo(y.AtMs);
            return byTime != 0 ? byTime : ByteArrayComparer.Instance.Compare(x.Key, y.Key);
        }
    }
}
