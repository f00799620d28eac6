using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>ZREM and ZREMRANGEBYRANK/SCORE/LEX. Range removals replicate as ZREM of the members removed.</summary>
internal static class ZSetRemoveCommands
{
    public static void ZRem(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        var removed = new List<(byte[], double)>();
        if (entry is not null)
        {
            var set = entry.ZSetValue;
            for (int i = 2; i < args.Length; i++)
            {
                if (set.TryGetScore(args[i], out double score))
                {
                    removed.Add((args[i], score));
                    set.Remove(args[i]); // removed now, so a member named twice counts once
                }
            }
            if (removed.Count > 0)
            {
                context.Keyspace.TouchOrRemoveIfEmpty(entry, set.Count);
                context.RecordEffect(ZSetReplies.ZRemEffect(entry.Key, removed));
            }
        }
        RespWriter.Integer(context.Reply, removed.Count);
    }

    public static void ZRemRangeByRank(CommandContext context, byte[][] args)
    {
        if (!ZSetReplies.TryParseLong(context, args[2], out long start) || !ZSetReplies.TryParseLong(context, args[3], out long stop))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var (from, count) = RankRange.Clamp(start, stop, entry.ZSetValue.Count);
        RemoveRanks(context, entry, from, from + count);
    }

    public static void ZRemRangeByScore(CommandContext context, byte[][] args)
    {
        if (ZSetIntervalRanks.TryFind(context, args, byLex: false, out var entry, out int start, out int end))
            RemoveRanks(context, entry, start, end);
    }

    public static void ZRemRangeByLex(CommandContext context, byte[][] args)
    {
        if (ZSetIntervalRanks.TryFind(context, args, byLex: true, out var entry, out int start, out int end))
            RemoveRanks(context, entry, start, end);
    }

    private static void RemoveRanks(CommandContext context, KeyEntry entry, long start, long end)
    {
        var members = entry.ZSetValue.Walk(start, end - start, reverse: false).ToList();
        ZSetReplies.RemoveMembers(context, entry, members);
        RespWriter.Integer(context.Reply, members.Count);
    }
}
