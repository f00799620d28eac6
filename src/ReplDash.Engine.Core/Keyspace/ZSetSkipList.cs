namespace ReplDash.Engine.Core.Keyspace;

/// <summary>One member of a <see cref="ZSetSkipList"/>: its score, its forward links with their spans, and a back link.</summary>
internal sealed class ZSetNode
{
    public ZSetNode(byte[] member, double score, int levels)
    {
        Member = member;
        Score = score;
        Forward = new ZSetNode?[levels];
        Span = new int[levels];
    }

    /// <summary>The member bytes.</summary>
    public byte[] Member { get; }

    /// <summary>The score (never NaN).</summary>
    public double Score { get; }

    /// <summary>Next node per level.</summary>
    public ZSetNode?[] Forward { get; }

    /// <summary>How many nodes each forward link skips over (the rank distance), per level.</summary>
    public int[] Span { get; }

    /// <summary>The previous node on level 0 (null for the first).</summary>
    public ZSetNode? Backward { get; set; }

    /// <summary>The member's slot in its set's ZSCAN order.</summary>
    public int ScanSlot { get; set; }
}

/// <summary>
/// The members of a sorted set ordered by (score, member bytes): a skip list whose links carry spans, so
/// insert, delete, rank of a member, member at a rank and the rank of a score or lex bound are all
/// O(log n) on average. Chosen over <see cref="SortedSet{T}"/>, which cannot answer "rank of" or
/// "element at rank" without walking. The random tower heights come from a per-list xorshift generator
/// with a fixed seed: they shape the structure only, never what a command answers or replicates.
/// </summary>
internal sealed class ZSetSkipList
{
    private const int MaxLevel = 32;

    private readonly ZSetNode _head = new([], 0, MaxLevel);
    private int _level = 1;
    private ulong _random = 0x9E3779B97F4A7C15UL;

    /// <summary>Number of members.</summary>
    public int Count { get; private set; }

    /// <summary>The first node (lowest score), or null when empty.</summary>
    public ZSetNode? First => _head.Forward[0];

    /// <summary>The last node (highest score), or null when empty.</summary>
    public ZSetNode? Last { get; private set; }

    /// <summary>Orders two (score, member) pairs: by score, then by member bytes.</summary>
    public static int Compare(double score1, byte[] member1, double score2, byte[] member2)
    {
        if (score1 < score2)
            return -1;
        if (score1 > score2)
            return 1;
        return member1.AsSpan().SequenceCompareTo(member2);
    }

    /// <summary>Inserts a member that is not present; returns its node.</summary>
    public ZSetNode Insert(double score, byte[] member)
    {
        Span<int> rank = stackalloc int[MaxLevel];
        var update = new ZSetNode[MaxLevel];
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (x.Forward[i] is { } next && Compare(next.Score, next.Member, score, member) < 0)
            {
                rank[i] += x.Span[i];
                x = next;
            }
            update[i] = x;
        }
        int level = RandomLevel();
        if (level > _level)
        {
            for (int i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _head;
                _head.Span[i] = Count;
            }
            _level = level;
        }
        var node = new ZSetNode(member, score, level);
        for (int i = 0; i < level; i++)
        {
            node.Forward[i] = update[i].Forward[i];
            update[i].Forward[i] = node;
            node.Span[i] = update[i].Span[i] - (rank[0] - rank[i]);
            update[i].Span[i] = rank[0] - rank[i] + 1;
        }
        for (int i = level; i < _level; i++)
            update[i].Span[i]++;
        node.Backward = ReferenceEquals(update[0], _head) ? null : update[0];
        if (node.Forward[0] is { } after)
            after.Backward = node;
        else
            Last = node;
        Count++;
        return node;
    }

    /// <summary>Removes the node holding exactly (score, member); false when there is none.</summary>
    public bool Delete(double score, byte[] member)
    {
        var update = new ZSetNode[MaxLevel];
        var x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward[i] is { } next && Compare(next.Score, next.Member, score, member) < 0)
                x = next;
            update[i] = x;
        }
        var target = x.Forward[0];
        if (target is null || Compare(target.Score, target.Member, score, member) != 0)
            return false;
        for (int i = 0; i < _level; i++)
        {
            if (ReferenceEquals(update[i].Forward[i], target))
            {
                update[i].Span[i] += target.Span[i] - 1;
                update[i].Forward[i] = target.Forward[i];
            }
            else
            {
                update[i].Span[i]--;
            }
        }
        if (target.Forward[0] is { } after)
            after.Backward = target.Backward;
        else
            Last = target.Backward;
        while (_level > 1 && _head.Forward[_level - 1] is null)
            _level--;
        Count--;
        return true;
    }

    /// <summary>The 0-based rank of (score, member), which must be present.</summary>
    public int RankOf(double score, byte[] member)
    {
        var x = _head;
        int rank = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward[i] is { } next && Compare(next.Score, next.Member, score, member) <= 0)
            {
                rank += x.Span[i];
                x = next;
            }
        }
        return rank - 1;
    }

    /// <summary>The node at a 0-based rank, or null when out of range.</summary>
    public ZSetNode? AtRank(long rank)
    {
        if (rank < 0 || rank >= Count)
            return null;
        long wanted = rank + 1;
        var x = _head;
        long traversed = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward[i] is { } next && traversed + x.Span[i] <= wanted)
            {
                traversed += x.Span[i];
                x = next;
            }
            if (traversed == wanted)
                return x;
        }
        return null;
    }

    /// <summary>
    /// How many nodes from the start satisfy <paramref name="before"/>, which must hold for a prefix of the
    /// order and not after it (a bound's "below" test): the rank where that bound starts.
    /// </summary>
    public int CountWhile<TBound>(TBound bound) where TBound : IZSetBound
    {
        var x = _head;
        int rank = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward[i] is { } next && bound.IsBefore(next))
            {
                rank += x.Span[i];
                x = next;
            }
        }
        return rank;
    }

    /// <summary>Forgets every node.</summary>
    public void Clear()
    {
        Array.Clear(_head.Forward);
        Array.Clear(_head.Span);
        _level = 1;
        Count = 0;
        Last = null;
    }

    private int RandomLevel()
    {
        // xorshift64; each further level with probability 1/4, as in Redis's skip lists.
        int level = 1;
        while (level < MaxLevel)
        {
            _random ^= _random << 13;
            _random ^= _random >> 7;
            _random ^= _random << 17;
            if ((_random & 3) != 0)
                break;
            level++;
        }
        return level;
    }
}

/// <summary>A test that holds for the nodes before some bound in (score, member) order and fails from the bound on.</summary>
internal interface IZSetBound
{
    /// <summary>True when <paramref name="node"/> lies before the bound.</summary>
    bool IsBefore(ZSetNode node);
}
