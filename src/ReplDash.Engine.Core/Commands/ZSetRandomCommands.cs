using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>ZRANDMEMBER and ZSCAN: reads that walk a sorted set in an order of their own.</summary>
internal static class ZSetRandomCommands
{
    // A negative count asks for that many picks with repetition; past this many the reply is refused rather than built.
    private const long MaxRepeatedPicks = 1L << 24;

    public static void ZRandMember(CommandContext context, byte[][] args)
    {
        if (args.Length == 2)
        {
            if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var single))
                return;
            if (single is null)
                RespWriter.NullBulk(context.Reply);
            else
                RespWriter.Bulk(context.Reply, single.ZSetValue.At(context.Random.Next(single.ZSetValue.Count)).Member);
            return;
        }
        if (!IntegerText.TryParse(args[2], out long requested))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (requested == long.MinValue)
        {
            RespWriter.Error(context.Reply, $"ERR value is out of range, value must between {-long.MaxValue} and {long.MaxValue}");
            return;
        }
        if (args.Length > 4 || (args.Length == 4 && !ArgumentNames.Is(args[3], "WITHSCORES"u8)))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        bool withScores = args.Length == 4;
        if ((withScores && (requested < -long.MaxValue / 2 || requested > long.MaxValue / 2)) || -requested > MaxRepeatedPicks)
        {
            RespWriter.Error(context.Reply, "ERR value is out of range");
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        if (entry is null || requested == 0)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        var set = entry.ZSetValue;
        var picks = new List<(byte[] Member, double Score)>();
        if (requested < 0)
        {
            for (long i = 0; i < -requested; i++)
                picks.Add(set.At(context.Random.Next(set.Count)));
        }
        else if (requested >= set.Count)
        {
            picks.AddRange(set.Ascending());
        }
        else
        {
            // Distinct ranks: fewer draws than members, so the loop ends quickly (at worst half are repeats).
            var ranks = new HashSet<int>();
            if (requested * 2 > set.Count)
            {
                var all = Enumerable.Range(0, set.Count).ToArray();
                context.Random.Shuffle(all);
                ranks.UnionWith(all.Take((int)requested));
            }
            else
            {
                while (ranks.Count < requested)
                    ranks.Add(context.Random.Next(set.Count));
            }
            foreach (int rank in ranks)
                picks.Add(set.At(rank));
        }
        ZSetReplies.Members(context.Reply, picks, withScores);
    }

    public static void ZScan(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParseUnsigned(args[2], out ulong cursor))
        {
            RespWriter.Error(context.Reply, CommandErrors.InvalidCursor);
            return;
        }
        // MATCH and COUNT as HSCAN and SSCAN read them.
        if (!CollectionScan.TryParseOptions(context, args, 3, out var pattern, out long count))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        var members = new List<byte[]>();
        long next = 0;
        if (entry is not null)
        {
            long start = cursor > long.MaxValue ? long.MaxValue : (long)cursor;
            next = entry.ZSetValue.ScanStep(start, (int)Math.Min(count, 100_000), members);
        }
        var matched = new List<(byte[] Member, double Score)>();
        foreach (var member in members)
        {
            if (pattern is not null && !GlobPattern.IsMatch(pattern, member))
                continue;
            entry!.ZSetValue.TryGetScore(member, out double score);
            matched.Add((member, score));
        }
        RespWriter.ArrayHeader(context.Reply, 2);
        RespWriter.Bulk(context.Reply, IntegerText.Format(next));
        // Scores as bulk strings in RESP3 too: Redis 7.0's SCAN family lists strings only.
        RespWriter.ArrayHeader(context.Reply, matched.Count * 2);
        foreach (var (member, score) in matched)
        {
            RespWriter.Bulk(context.Reply, member);
            RespWriter.Bulk(context.Reply, ScoreText.Format(score));
        }
    }
}
