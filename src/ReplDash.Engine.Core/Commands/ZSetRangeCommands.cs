using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// ZRANGE (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), ZRANGESTORE and the older ZRANGEBYSCORE, ZREVRANGEBYSCORE,
/// ZREVRANGE, ZRANGEBYLEX and ZREVRANGEBYLEX forms, all through Redis's one option parser (zrangeGenericCommand).
/// </summary>
internal static class ZSetRangeCommands
{
    private enum RangeKind
    {
        Auto,
        Rank,
        Score,
        Lex,
    }

    public static void ZRange(CommandContext context, byte[][] args) => Range(context, args, 1, null, RangeKind.Auto, null);

    public static void ZRangeStore(CommandContext context, byte[][] args) => Range(context, args, 2, args[1], RangeKind.Auto, null);

    public static void ZRevRange(CommandContext context, byte[][] args) => Range(context, args, 1, null, RangeKind.Rank, true);

    public static void ZRangeByScore(CommandContext context, byte[][] args) => Range(context, args, 1, null, RangeKind.Score, false);

    public static void ZRevRangeByScore(CommandContext context, byte[][] args) => Range(context, args, 1, null, RangeKind.Score, true);

    public static void ZRangeByLex(CommandContext context, byte[][] args) => Range(context, args, 1, null, RangeKind.Lex, false);

    public static void ZRevRangeByLex(CommandContext context, byte[][] args) => Range(context, args, 1, null, RangeKind.Lex, true);

    /// <param name="keyIndex">Where the source key is; min and max follow it.</param>
    /// <param name="destination">ZRANGESTORE's destination, null for a reply.</param>
    /// <param name="kind">Fixed by the older commands; Auto lets BYSCORE/BYLEX choose (rank otherwise).</param>
    /// <param name="fixedReverse">Fixed by the older commands; null lets REV choose.</param>
    private static void Range(CommandContext context, byte[][] args, int keyIndex, byte[]? destination, RangeKind kind, bool? fixedReverse)
    {
        bool store = destination is not null;
        bool withScores = false;
        bool reverse = fixedReverse ?? false;
        long offset = 0, limit = -1;
        bool hasLimit = false;
        for (int j = keyIndex + 3; j < args.Length; j++)
        {
            int left = args.Length - j - 1;
            if (!store && ArgumentNames.Is(args[j], "WITHSCORES"u8))
                withScores = true;
            else if (ArgumentNames.Is(args[j], "LIMIT"u8) && left >= 2)
            {
                if (!ZSetReplies.TryParseLong(context, args[j + 1], out offset) || !ZSetReplies.TryParseLong(context, args[j + 2], out limit))
                    return;
                hasLimit = true;
                j += 2;
            }
            else if (fixedReverse is null && ArgumentNames.Is(args[j], "REV"u8))
                reverse = true;
            else if (kind == RangeKind.Auto && ArgumentNames.Is(args[j], "BYLEX"u8))
                kind = RangeKind.Lex;
            else if (kind == RangeKind.Auto && ArgumentNames.Is(args[j], "BYSCORE"u8))
                kind = RangeKind.Score;
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (kind == RangeKind.Auto)
            kind = RangeKind.Rank;
        // Redis tests the limit's value, not its presence: LIMIT 0 -1 passes with a rank range.
        if (hasLimit && limit != -1 && kind == RangeKind.Rank)
        {
            RespWriter.Error(context.Reply, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && kind == RangeKind.Lex)
        {
            RespWriter.Error(context.Reply, "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        // A reversed score or lex range is written max first.
        byte[] min = args[keyIndex + 1], max = args[keyIndex + 2];
        if (reverse && kind != RangeKind.Rank)
            (min, max) = (max, min);
        long start = 0, stop = 0;
        ScoreRange scores = default;
        LexRange lex = default;
        switch (kind)
        {
            case RangeKind.Rank:
                if (!ZSetReplies.TryParseLong(context, min, out start) || !ZSetReplies.TryParseLong(context, max, out stop))
                    return;
                break;
            case RangeKind.Score:
                if (!ScoreRange.TryParse(min, max, out scores))
                {
                    RespWriter.Error(context.Reply, ScoreRange.ParseError);
                    return;
                }
                break;
            default:
                if (!LexRange.TryParse(min, max, out lex))
                {
                    RespWriter.Error(context.Reply, LexRange.ParseError);
                    return;
                }
                break;
        }
        if (!TypedLookup.TryGet(context, args[keyIndex], ValueType.ZSet, out var entry))
            return;
        List<(byte[] Member, double Score)> result;
        if (entry is null)
            result = [];
        else
        {
            var set = entry.ZSetValue;
            result = kind switch
            {
                RangeKind.Rank => ByRank(set, start, stop, reverse),
                RangeKind.Score => Slice(set, scores.Ranks(set), reverse, offset, limit),
                _ => Slice(set, lex.Ranks(set), reverse, offset, limit),
            };
        }
        if (store)
            ZSetStore.Replace(context, destination!, result);
        else
            ZSetReplies.Members(context.Reply, result, withScores);
    }

    private static List<(byte[], double)> ByRank(ZSet set, long start, long stop, bool reverse)
    {
        var (from, count) = RankRange.Clamp(start, stop, set.Count);
        if (count == 0)
            return [];
        // Ranks of a reversed range count from the highest score.
        long first = reverse ? set.Count - 1 - from : from;
        return set.Walk(first, count, reverse).ToList();
    }

    /// <summary>The members of ranks [start, end), skipping <paramref name="offset"/> and taking at most <paramref name="limit"/> (negative: all).</summary>
    private static List<(byte[], double)> Slice(ZSet set, (int Start, int End) ranks, bool reverse, long offset, long limit)
    {
        long available = ranks.End - ranks.Start;
        // A negative offset empties the range, as in Redis.
        if (offset < 0 || offset >= available)
            return [];
        long count = available - offset;
        if (limit >= 0)
            count = Math.Min(count, limit);
        long first = reverse ? ranks.End - 1 - offset : ranks.Start + offset;
        return set.Walk(first, count, reverse).ToList();
    }
}
