namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The value of a sorted-set key: a member → node dictionary (score lookup in O(1)) next to a
/// <see cref="ZSetSkipList"/> ordered by (score, member) (rank and range in O(log n)), and a
/// <see cref="ScanOrder"/> of slots so ZSCAN keeps Redis's guarantee (a member present for the whole
/// iteration is returned) whatever is added or removed between calls.
/// </summary>
public sealed class ZSet
{
    private readonly Dictionary<byte[], ZSetNode> _nodes = new(ByteArrayComparer.Instance);
    private readonly ZSetSkipList _order = new();
    private readonly ScanOrder _scan = new();

    /// <summary>Number of members.</summary>
    public int Count => _nodes.Count;

    /// <summary>The score of <paramref name="member"/>, when present.</summary>
    public bool TryGetScore(byte[] member, out double score)
    {
        if (_nodes.TryGetValue(member, out var node))
        {
            score = node.Score;
            return true;
        }
        score = 0;
        return false;
    }

    /// <summary>
    /// Sets the score of a member, adding it when absent. Returns true when the member was added; a member
    /// whose score does not change (0 and -0 count as equal, as in Redis) keeps its node.
    /// </summary>
    public bool Set(byte[] member, double score)
    {
        if (double.IsNaN(score))
            throw new ArgumentOutOfRangeException(nameof(score), "A sorted-set score cannot be NaN.");
        if (_nodes.TryGetValue(member, out var existing))
        {
            if (existing.Score == score)
                return false;
            _order.Delete(existing.Score, existing.Member);
            var moved = _order.Insert(score, existing.Member);
            moved.ScanSlot = existing.ScanSlot;
            _nodes[existing.Member] = moved;
            return false;
        }
        var node = _order.Insert(score, member);
        node.ScanSlot = _scan.Add(member);
        _nodes.Add(member, node);
        return true;
    }

    /// <summary>Removes a member; false when it was not there.</summary>
    public bool Remove(byte[] member)
    {
        if (!_nodes.Remove(member, out var node))
            return false;
        _order.Delete(node.Score, node.Member);
        _scan.Remove(node.ScanSlot);
        return true;
    }

    /// <summary>The 0-based rank of a member in ascending order, or -1 when absent.</summary>
    public long RankOf(byte[] member) =>
        _nodes.TryGetValue(member, out var node) ? _order.RankOf(node.Score, node.Member) : -1;

    /// <summary>The member and score at a 0-based ascending rank (which must be in range).</summary>
    public (byte[] Member, double Score) At(long rank)
    {
        var node = _order.AtRank(rank) ?? throw new ArgumentOutOfRangeException(nameof(rank));
        return (node.Member, node.Score);
    }

    /// <summary>
    /// The members from 0-based rank <paramref name="start"/> walking <paramref name="count"/> steps up
    /// (or down when <paramref name="reverse"/>), stopping at either end. O(log n + count).
    /// </summary>
    public IEnumerable<(byte[] Member, double Score)> Walk(long start, long count, bool reverse)
    {
        var node = _order.AtRank(start);
        for (long i = 0; i < count && node is not null; i++)
        {
            yield return (node.Member, node.Score);
            node = reverse ? node.Backward : node.Forward[0];
        }
    }

    /// <summary>Every member in ascending (score, member) order.</summary>
    public IEnumerable<(byte[] Member, double Score)> Ascending() => Walk(0, Count, reverse: false);

    /// <summary>How many members lie before a bound (the 0-based rank where the bound starts).</summary>
    internal int CountBefore<TBound>(TBound bound) where TBound : IZSetBound => _order.CountWhile(bound);

    /// <summary>One step of a ZSCAN walk: members from slot <paramref name="cursor"/> on; returns the next cursor (0 when done).</summary>
    public long ScanStep(long cursor, int count, List<byte[]> members) => _scan.Walk(cursor, count, members);
}
