namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The keys that have an expiry, ordered by expiry time, so active expiry finds the due keys without
/// walking the whole keyspace.
/// </summary>
internal sealed class ExpiryIndex
{
    private readonly SortedSet<(long AtMs, byte[] Key)> _byTime = new(new DueOrder());

    // The sum of every expiry held, kept as keys come and go, so that the average TTL costs no walk (Int128: no overflow
    // however many keys, whatever their times).
    private Int128 _sumAtMs;

    public int Count => _byTime.Count;

    public void Add(long atMs, byte[] key)
    {
        if (_byTime.Add((atMs, key)))
            _sumAtMs += atMs;
    }

    public void Remove(long atMs, byte[] key)
    {
        if (_byTime.Remove((atMs, key)))
            _sumAtMs -= atMs;
    }

    public void Clear()
    {
        _byTime.Clear();
        _sumAtMs = 0;
    }

    /// <summary>
    /// The exact mean time to live, in milliseconds, of the keys whose expiry is after <paramref name="nowMs"/> (rounded
    /// toward zero); 0 when there is none. Keys already due (a replica keeps them until the master's DEL arrives) are left
    /// out, as Redis counts only keys with time left. Costs the walk over the due keys only, which active expiry keeps few.
    /// </summary>
    public long AverageTtlMs(long nowMs)
    {
        Int128 sum = _sumAtMs;
        long count = _byTime.Count;
        foreach (var (atMs, _) in _byTime)
        {
            if (atMs > nowMs)
                break;
            sum -= atMs;
            count--;
        }
        return count == 0 ? 0 : (long)((sum - (Int128)count * nowMs) / count);
    }

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
