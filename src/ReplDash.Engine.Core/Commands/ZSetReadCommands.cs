using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Sorted-set reads of single members and counts: ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT.</summary>
internal static class ZSetReadCommands
{
    public static void ZCard(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry?.ZSetValue.Count ?? 0);
    }

    public static void ZScore(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        if (entry is not null && entry.ZSetValue.TryGetScore(args[2], out double score))
            ZSetReplies.Score(context.Reply, score);
        else
            RespWriter.NullBulk(context.Reply);
    }

    public static void ZMScore(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        RespWriter.ArrayHeader(context.Reply, args.Length - 2);
        for (int i = 2; i < args.Length; i++)
        {
            if (entry is not null && entry.ZSetValue.TryGetScore(args[i], out double score))
                ZSetReplies.Score(context.Reply, score);
            else
                RespWriter.NullBulk(context.Reply);
        }
    }

    public static void ZRank(CommandContext context, byte[][] args) => Rank(context, args, reverse: false);

    public static void ZRevRank(CommandContext context, byte[][] args) => Rank(context, args, reverse: true);

    private static void Rank(CommandContext context, byte[][] args, bool reverse)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        long rank = entry?.ZSetValue.RankOf(args[2]) ?? -1;
        if (rank < 0)
            RespWriter.NullBulk(context.Reply);
        else
            RespWriter.Integer(context.Reply, reverse ? entry!.ZSetValue.Count - 1 - rank : rank);
    }

    public static void ZCount(CommandContext context, byte[][] args)
    {
        if (ZSetIntervalRanks.TryFind(context, args, byLex: false, out _, out int start, out int end))
            RespWriter.Integer(context.Reply, end - start);
    }

    public static void ZLexCount(CommandContext context, byte[][] args)
    {
        if (ZSetIntervalRanks.TryFind(context, args, byLex: true, out _, out int start, out int end))
            RespWriter.Integer(context.Reply, end - start);
    }
}
