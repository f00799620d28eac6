using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// A score interval of ZRANGEBYSCORE, ZCOUNT and friends: "1.5" is inclusive, "(1.5" exclusive, "-inf"/"+inf"
/// open. Parsing follows Redis's zslParseRange, whose error is "ERR min or max is not a float".
/// </summary>
internal readonly record struct ScoreRange(double Min, bool MinExclusive, double Max, bool MaxExclusive)
{
    public const string ParseError = "ERR min or max is not a float";

    /// <summary>Parses the two ends; false when either is not a float (or is NaN).</summary>
    public static bool TryParse(byte[] min, byte[] max, out ScoreRange range)
    {
        range = default;
        if (!TryParseEnd(min, out double minValue, out bool minExclusive) || !TryParseEnd(max, out double maxValue, out bool maxExclusive))
            return false;
        range = new ScoreRange(minValue, minExclusive, maxValue, maxExclusive);
        return true;
    }

    private static bool TryParseEnd(byte[] text, out double value, out bool exclusive)
    {
        exclusive = text.Length > 0 && text[0] == (byte)'(';
        return ScoreText.TryParseRangeEnd(exclusive ? text.AsSpan(1) : text, out value);
    }

    /// <summary>The 0-based ranks [start, end) of the members of <paramref name="set"/> inside the range.</summary>
    public (int Start, int End) Ranks(ZSet set)
    {
        int start = set.CountBefore(new BelowMin(Min, MinExclusive));
        int end = set.CountBefore(new NotAboveMax(Max, MaxExclusive));
        return (start, Math.Max(start, end));
    }

    private readonly record struct BelowMin(double Min, bool Exclusive) : IZSetBound
    {
        public bool IsBefore(ZSetNode node) => Exclusive ? node.Score <= Min : node.Score < Min;
    }

    private readonly record struct NotAboveMax(double Max, bool Exclusive) : IZSetBound
    {
        public bool IsBefore(ZSetNode node) => Exclusive ? node.Score < Max : node.Score <= Max;
    }
}

/// <summary>
/// A member interval of ZRANGEBYLEX, ZLEXCOUNT and friends: "[a" inclusive, "(a" exclusive, "-" and "+" the
/// ends of the order. Meaningful when all members share one score, as in Redis.
/// </summary>
internal readonly record struct LexRange(byte[] Min, LexEnd MinKind, byte[] Max, LexEnd MaxKind)
{
    public const string ParseError = "ERR min or max not valid string range item";

    /// <summary>Parses the two ends (Redis's zslParseLexRange); false when either is not a valid item.</summary>
    public static bool TryParse(byte[] min, byte[] max, out LexRange range)
    {
        range = default;
        if (!TryParseEnd(min, out var minValue, out var minKind) || !TryParseEnd(max, out var maxValue, out var maxKind))
            return false;
        range = new LexRange(minValue, minKind, maxValue, maxKind);
        return true;
    }

    private static bool TryParseEnd(byte[] text, out byte[] value, out LexEnd kind)
    {
        value = [];
        kind = LexEnd.Inclusive;
        if (text.Length == 0)
            return false;
        switch (text[0])
        {
            case (byte)'+' when text.Length == 1:
                kind = LexEnd.PlusInfinity;
                return true;
            case (byte)'-' when text.Length == 1:
                kind = LexEnd.MinusInfinity;
                return true;
            case (byte)'(':
                kind = LexEnd.Exclusive;
                value = text[1..];
                return true;
            case (byte)'[':
                value = text[1..];
                return true;
            default:
                return false;
        }
    }

    /// <summary>The 0-based ranks [start, end) of the members of <paramref name="set"/> inside the range.</summary>
    public (int Start, int End) Ranks(ZSet set)
    {
        int start = MinKind switch
        {
            LexEnd.MinusInfinity => 0,
            LexEnd.PlusInfinity => set.Count,
            _ => set.CountBefore(new Before(Min, OrEqual: MinKind == LexEnd.Exclusive)),
        };
        int end = MaxKind switch
        {
            LexEnd.MinusInfinity => 0,
            LexEnd.PlusInfinity => set.Count,
            _ => set.CountBefore(new Before(Max, OrEqual: MaxKind == LexEnd.Inclusive)),
        };
        return (start, Math.Max(start, end));
    }

    private readonly record struct Before(byte[] Bound, bool OrEqual) : IZSetBound
    {
        public bool IsBefore(ZSetNode node)
        {
            int order = node.Member.AsSpan().SequenceCompareTo(Bound);
            return OrEqual ? order <= 0 : order < 0;
        }
    }
}

/// <summary>How one end of a <see cref="LexRange"/> bounds the members.</summary>
internal enum LexEnd
{
    Inclusive,
    Exclusive,
    MinusInfinity,
    PlusInfinity,
}
