using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// SINTER, SINTERCARD, SUNION, SDIFF and the STORE forms. A missing key is an empty set; every key is type-checked
/// before anything is computed, as Redis does. A STORE form is replicated as itself: on the same sets it stores the
/// same result (sources that expired were deleted by DEL effects logged before it).
/// </summary>
internal static class SetAlgebraCommands
{
    private enum Operation { Intersect, Union, Difference }

    public static void SInter(CommandContext context, byte[][] args) => Reply(context, args[1..], Operation.Intersect);

    public static void SUnion(CommandContext context, byte[][] args) => Reply(context, args[1..], Operation.Union);

    public static void SDiff(CommandContext context, byte[][] args) => Reply(context, args[1..], Operation.Difference);

    public static void SInterStore(CommandContext context, byte[][] args) => Store(context, args, Operation.Intersect);

    public static void SUnionStore(CommandContext context, byte[][] args) => Store(context, args, Operation.Union);

    public static void SDiffStore(CommandContext context, byte[][] args) => Store(context, args, Operation.Difference);

    public static void SInterCard(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[1], out long numKeys) || numKeys < 1)
        {
            RespWriter.Error(context.Reply, "ERR numkeys should be greater than 0");
            return;
        }
        if (numKeys > args.Length - 2)
        {
            RespWriter.Error(context.Reply, "ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = 0;
        for (long i = 2 + numKeys; i < args.Length; i++)
        {
            if (i + 1 < args.Length && ArgumentNames.Is(args[i], "LIMIT"u8))
            {
                if (!IntegerText.TryParse(args[++i], out limit) || limit < 0)
                {
                    RespWriter.Error(context.Reply, "ERR LIMIT can't be negative");
                    return;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (!TryGetSets(context, args[2..(int)(2 + numKeys)], out var sets))
            return;
        RespWriter.Integer(context.Reply, Intersect(sets, limit, output: null));
    }

    private static void Reply(CommandContext context, byte[][] keys, Operation operation)
    {
        if (!TryGetSets(context, keys, out var sets))
            return;
        var result = Compute(sets, operation);
        RespWriter.ArrayHeader(context.Reply, result.Count);
        foreach (var member in result.Members)
            RespWriter.Bulk(context.Reply, member);
    }

    private static void Store(CommandContext context, byte[][] args, Operation operation)
    {
        if (!TryGetSets(context, args[2..], out var sets))
            return;
        var result = Compute(sets, operation);
        // The destination is replaced whatever it held (type and expiry included), or deleted when the result is empty.
        if (context.Keyspace.Lookup(context, args[1]) is { } old)
            context.Keyspace.Remove(old);
        if (result.Count > 0)
            context.Keyspace.Create(args[1], ValueType.Set, result);
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, result.Count);
    }

    /// <summary>The sets named (null for a missing key); false after a WRONGTYPE reply.</summary>
    private static bool TryGetSets(CommandContext context, byte[][] keys, out MemberSet?[] sets)
    {
        sets = new MemberSet?[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            if (!TypedLookup.TryGet(context, keys[i], ValueType.Set, out var entry))
                return false;
            sets[i] = entry?.SetValue;
        }
        return true;
    }

    private static MemberSet Compute(MemberSet?[] sets, Operation operation)
    {
        var result = new MemberSet();
        switch (operation)
        {
            case Operation.Intersect:
                Intersect(sets, 0, result);
                break;
            case Operation.Union:
                foreach (var set in sets)
                    if (set is not null)
                        foreach (var member in set.Members)
                            result.Add(member);
                break;
            case Operation.Difference:
                if (sets[0] is { } first)
                    foreach (var member in first.Members)
                        if (!sets.Skip(1).Any(other => other is not null && other.Contains(member)))
                            result.Add(member);
                break;
        }
        return result;
    }

    /// <summary>
    /// Counts the members in every set (stopping at <paramref name="limit"/> when it is above 0), adding them to
    /// <paramref name="output"/> when given. Walks the smallest set and probes the others.
    /// </summary>
    private static long Intersect(MemberSet?[] sets, long limit, MemberSet? output)
    {
        if (sets.Any(set => set is null))
            return 0;
        var ordered = sets.Select(set => set!).OrderBy(set => set.Count).ToArray();
        long count = 0;
        foreach (var member in ordered[0].Members)
        {
            bool inAll = true;
            for (int i = 1; i < ordered.Length && inAll; i++)
                inAll = ordered[i].Contains(member);
            if (!inAll)
                continue;
            output?.Add(member);
            count++;
            if (limit > 0 && count >= limit)
                break;
        }
        return count;
    }
}
