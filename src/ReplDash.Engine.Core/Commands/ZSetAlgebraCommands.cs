using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's zunionInterDiffGenericCommand): inputs may be
/// sorted sets or plain sets (score 1), with WEIGHTS and AGGREGATE SUM|MIN|MAX for union and intersection.
/// </summary>
internal static class ZSetAlgebraCommands
{
    private enum Operation
    {
        Union,
        Inter,
        Diff,
    }

    private enum Aggregate
    {
        Sum,
        Min,
        Max,
    }

    public static void ZUnion(CommandContext context, byte[][] args) => Run(context, args, null, Operation.Union, cardinalityOnly: false);

    public static void ZInter(CommandContext context, byte[][] args) => Run(context, args, null, Operation.Inter, cardinalityOnly: false);

    public static void ZDiff(CommandContext context, byte[][] args) => Run(context, args, null, Operation.Diff, cardinalityOnly: false);

    public static void ZUnionStore(CommandContext context, byte[][] args) => Run(context, args, args[1], Operation.Union, cardinalityOnly: false);

    public static void ZInterStore(CommandContext context, byte[][] args) => Run(context, args, args[1], Operation.Inter, cardinalityOnly: false);

    public static void ZDiffStore(CommandContext context, byte[][] args) => Run(context, args, args[1], Operation.Diff, cardinalityOnly: false);

    public static void ZInterCard(CommandContext context, byte[][] args) => Run(context, args, null, Operation.Inter, cardinalityOnly: true);

    /// <summary>One input: its members with scores (a plain set's members score 1), or none when the key is absent.</summary>
    private sealed class Source(KeyEntry? entry)
    {
        public double Weight { get; set; } = 1;

        public int Count => entry is null ? 0 : entry.Type == ValueType.ZSet ? entry.ZSetValue.Count : entry.SetValue.Count;

        public bool TryGetScore(byte[] member, out double score)
        {
            score = 1;
            if (entry is null)
                return false;
            return entry.Type == ValueType.ZSet ? entry.ZSetValue.TryGetScore(member, out score) : entry.SetValue.Contains(member);
        }

        public IEnumerable<(byte[] Member, double Score)> Members()
        {
            if (entry is null)
                return [];
            return entry.Type == ValueType.ZSet ? entry.ZSetValue.Ascending() : entry.SetValue.Members.Select(m => (m, 1.0));
        }
    }

    private static void Run(CommandContext context, byte[][] args, byte[]? destination, Operation operation, bool cardinalityOnly)
    {
        int numKeysIndex = destination is null ? 1 : 2;
        string name = System.Text.Encoding.ASCII.GetString(args[0]).ToLowerInvariant();
        if (!IntegerText.TryParse(args[numKeysIndex], out long setCount))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (setCount < 1)
        {
            RespWriter.Error(context.Reply, $"ERR at least 1 input key is needed for '{name}' command");
            return;
        }
        if (setCount > args.Length - (numKeysIndex + 1))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        var sources = new Source[setCount];
        int j = numKeysIndex + 1;
        for (int i = 0; i < setCount; i++, j++)
        {
            var entry = context.Keyspace.Lookup(context, args[j]);
            if (entry is not null && entry.Type != ValueType.ZSet && entry.Type != ValueType.Set)
            {
                RespWriter.Error(context.Reply, CommandErrors.WrongType);
                return;
            }
            sources[i] = new Source(entry);
        }
        var aggregate = Aggregate.Sum;
        bool withScores = false;
        long limit = 0;
        while (j < args.Length)
        {
            int remaining = args.Length - j;
            if (operation != Operation.Diff && !cardinalityOnly && remaining >= setCount + 1 && ArgumentNames.Is(args[j], "WEIGHTS"u8))
            {
                j++;
                for (int i = 0; i < setCount; i++, j++)
                {
                    if (!ScoreText.TryParse(args[j], out double weight))
                    {
                        RespWriter.Error(context.Reply, "ERR weight value is not a float");
                        return;
                    }
                    sources[i].Weight = weight;
                }
            }
            else if (operation != Operation.Diff && !cardinalityOnly && remaining >= 2 && ArgumentNames.Is(args[j], "AGGREGATE"u8))
            {
                if (ArgumentNames.Is(args[j + 1], "SUM"u8))
                    aggregate = Aggregate.Sum;
                else if (ArgumentNames.Is(args[j + 1], "MIN"u8))
                    aggregate = Aggregate.Min;
                else if (ArgumentNames.Is(args[j + 1], "MAX"u8))
                    aggregate = Aggregate.Max;
                else
                {
                    RespWriter.Error(context.Reply, CommandErrors.Syntax);
                    return;
                }
                j += 2;
            }
            else if (destination is null && !cardinalityOnly && ArgumentNames.Is(args[j], "WITHSCORES"u8))
            {
                withScores = true;
                j++;
            }
            else if (cardinalityOnly && remaining >= 2 && ArgumentNames.Is(args[j], "LIMIT"u8))
            {
                if (!IntegerText.TryParse(args[j + 1], out limit) || limit < 0)
                {
                    RespWriter.Error(context.Reply, "ERR LIMIT can't be negative");
                    return;
                }
                j += 2;
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (cardinalityOnly)
        {
            RespWriter.Integer(context.Reply, InterCardinality(sources, limit));
            return;
        }
        var result = new ZSet();
        switch (operation)
        {
            case Operation.Union:
                Union(sources, aggregate, result);
                break;
            case Operation.Inter:
                Inter(sources, aggregate, result);
                break;
            default:
                Diff(sources, result);
                break;
        }
        var members = result.Ascending().ToList();
        if (destination is not null)
            ZSetStore.Replace(context, destination, members);
        else
            ZSetReplies.Members(context.Reply, members, withScores);
    }

    private static double Weighted(Source source, double score)
    {
        double value = source.Weight * score;
        return double.IsNaN(value) ? 0 : value; // e.g. 0 × inf
    }

    private static double Combine(double target, double value, Aggregate aggregate)
    {
        switch (aggregate)
        {
            case Aggregate.Sum:
                double sum = target + value;
                return double.IsNaN(sum) ? 0 : sum; // inf + -inf
            case Aggregate.Min:
                return Math.Min(target, value);
            default:
                return Math.Max(target, value);
        }
    }

    private static void Union(Source[] sources, Aggregate aggregate, ZSet result)
    {
        var scores = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        foreach (var source in sources.OrderBy(s => s.Count))
        {
            foreach (var (member, score) in source.Members())
            {
                double value = Weighted(source, score);
                scores[member] = scores.TryGetValue(member, out double existing) ? Combine(existing, value, aggregate) : value;
            }
        }
        foreach (var (member, score) in scores)
            result.Set(member, score);
    }

    private static void Inter(Source[] sources, Aggregate aggregate, ZSet result)
    {
        // Smallest first, as Redis does: the walk is over the smallest input.
        var ordered = sources.OrderBy(s => s.Count).ToArray();
        if (ordered[0].Count == 0)
            return;
        foreach (var (member, score) in ordered[0].Members())
        {
            double value = Weighted(ordered[0], score);
            bool everywhere = true;
            for (int i = 1; i < ordered.Length && everywhere; i++)
            {
                if (ordered[i].TryGetScore(member, out double other))
                    value = Combine(value, Weighted(ordered[i], other), aggregate);
                else
                    everywhere = false;
            }
            if (everywhere)
                result.Set(member, value);
        }
    }

    private static void Diff(Source[] sources, ZSet result)
    {
        foreach (var (member, score) in sources[0].Members())
        {
            bool elsewhere = false;
            for (int i = 1; i < sources.Length && !elsewhere; i++)
                elsewhere = sources[i].TryGetScore(member, out _);
            if (!elsewhere)
                result.Set(member, score);
        }
    }

    private static long InterCardinality(Source[] sources, long limit)
    {
        var ordered = sources.OrderBy(s => s.Count).ToArray();
        long count = 0;
        foreach (var (member, _) in ordered[0].Members())
        {
            if (ordered.Skip(1).All(s => s.TryGetScore(member, out _)))
            {
                count++;
                if (limit > 0 && count >= limit)
                    break;
            }
        }
        return count;
    }
}
