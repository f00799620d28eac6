using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// ZPOPMIN, ZPOPMAX, ZMPOP, and BZPOPMIN, BZPOPMAX and BZMPOP: with a member at hand these act at once; otherwise,
/// where blocking is allowed, they set <see cref="CommandContext.Block"/> and the node serves the client from the key
/// a later write fills (as BLPOP and the other list pops); inside MULTI they answer a null array. All replicate as
/// ZREM of the members popped.
/// </summary>
internal static class ZSetPopCommands
{
    public static void ZPopMin(CommandContext context, byte[][] args) => Pop(context, args, max: false);

    public static void ZPopMax(CommandContext context, byte[][] args) => Pop(context, args, max: true);

    public static void BZPopMin(CommandContext context, byte[][] args) => BlockingPop(context, args, max: false);

    public static void BZPopMax(CommandContext context, byte[][] args) => BlockingPop(context, args, max: true);

    public static void ZMPop(CommandContext context, byte[][] args) => MultiPop(context, args, numKeysIndex: 1, blocking: false);

    public static void BZMPop(CommandContext context, byte[][] args) => MultiPop(context, args, numKeysIndex: 2, blocking: true);

    /// <summary>
    /// ZMPOP numkeys key ... MIN|MAX [COUNT n] (BZMPOP has the timeout first): pops from the first key that holds
    /// members and answers [key, [[member, score] ...]]; when none does, ZMPOP answers a null array and BZMPOP blocks.
    /// </summary>
    private static void MultiPop(CommandContext context, byte[][] args, int numKeysIndex, bool blocking)
    {
        if (!IntegerText.TryParse(args[numKeysIndex], out long numKeys) || numKeys < 1)
        {
            RespWriter.Error(context.Reply, "ERR numkeys should be greater than 0");
            return;
        }
        if (numKeys >= args.Length || numKeysIndex + numKeys + 1 >= args.Length)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        int whereIndex = numKeysIndex + (int)numKeys + 1;
        bool max;
        if (ArgumentNames.Is(args[whereIndex], "MIN"u8))
            max = false;
        else if (ArgumentNames.Is(args[whereIndex], "MAX"u8))
            max = true;
        else
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        long count = -1;
        for (int j = whereIndex + 1; j < args.Length; j++)
        {
            bool more = j < args.Length - 1;
            if (count == -1 && more && ArgumentNames.Is(args[j], "COUNT"u8))
            {
                j++;
                if (!IntegerText.TryParse(args[j], out count) || count < 1)
                {
                    RespWriter.Error(context.Reply, "ERR count should be greater than 0");
                    return;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (count == -1)
            count = 1;
        long timeoutMs = 0;
        if (blocking && !BlockTimeout.TryParse(context, args[1], out timeoutMs))
            return;
        var keys = args[(numKeysIndex + 1)..whereIndex];
        foreach (var key in keys)
        {
            if (!TypedLookup.TryGet(context, key, ValueType.ZSet, out var entry))
                return;
            if (entry is not null)
            {
                PopWithKey(context, entry, count, max);
                return;
            }
        }
        if (!blocking)
        {
            RespWriter.NullArray(context.Reply);
            return;
        }
        BlockingRequest.BlockOrAnswerNull(context, keys, timeoutMs, null, (served, ready) =>
        {
            if (ReadyZSet(served, ready) is not { } entry)
                return false;
            PopWithKey(served, entry, count, max);
            return true;
        });
    }

    /// <summary>Pops up to <paramref name="count"/> members and answers [key, [[member, score] ...]].</summary>
    private static void PopWithKey(CommandContext context, KeyEntry entry, long count, bool max)
    {
        var popped = Take(entry.ZSetValue, count, max);
        ZSetReplies.RemoveMembers(context, entry, popped);
        RespWriter.ArrayHeader(context.Reply, 2);
        RespWriter.Bulk(context.Reply, entry.Key);
        RespWriter.ArrayHeader(context.Reply, popped.Count);
        foreach (var (member, score) in popped)
        {
            RespWriter.ArrayHeader(context.Reply, 2);
            RespWriter.Bulk(context.Reply, member);
            ZSetReplies.Score(context.Reply, score);
        }
    }

    private static void Pop(CommandContext context, byte[][] args, bool max)
    {
        if (args.Length > 3)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        long count = 1;
        if (args.Length == 3 && !CountArgument.TryParse(context, args[2], out count))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        if (entry is null || count == 0)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        var popped = Take(entry.ZSetValue, count, max);
        ZSetReplies.RemoveMembers(context, entry, popped);
        // Without a count Redis answers one flat [member, score] even in RESP3; with one, RESP3 gets pairs.
        ZSetReplies.Members(context.Reply, popped, withScores: true, flatInResp3: args.Length == 2);
    }

    /// <summary>
    /// Pops one member from the first of the keys (all but the last argument) that holds one and answers
    /// [key, member, score]; blocks (or, inside MULTI, answers a null array) when none does.
    /// </summary>
    private static void BlockingPop(CommandContext context, byte[][] args, bool max)
    {
        if (!BlockTimeout.TryParse(context, args[^1], out long timeoutMs))
            return;
        var keys = args[1..^1];
        foreach (var key in keys)
        {
            if (!TypedLookup.TryGet(context, key, ValueType.ZSet, out var entry))
                return;
            if (entry is not null)
            {
                PopOneWithKey(context, entry, max);
                return;
            }
        }
        BlockingRequest.BlockOrAnswerNull(context, keys, timeoutMs, null, (served, ready) =>
        {
            if (ReadyZSet(served, ready) is not { } entry)
                return false;
            PopOneWithKey(served, entry, max);
            return true;
        });
    }

    private static void PopOneWithKey(CommandContext context, KeyEntry entry, bool max)
    {
        var popped = Take(entry.ZSetValue, 1, max);
        ZSetReplies.RemoveMembers(context, entry, popped);
        RespWriter.ArrayHeader(context.Reply, 3);
        RespWriter.Bulk(context.Reply, entry.Key);
        RespWriter.Bulk(context.Reply, popped[0].Member);
        ZSetReplies.Score(context.Reply, popped[0].Score);
    }

    /// <summary>The key as a non-empty sorted set, or null when it cannot serve (absent, expired, another type).</summary>
    private static KeyEntry? ReadyZSet(CommandContext context, byte[] key)
    {
        var entry = context.Keyspace.Lookup(context, key);
        return entry is { Type: ValueType.ZSet } && entry.ZSetValue.Count > 0 ? entry : null;
    }

    private static List<(byte[] Member, double Score)> Take(ZSet set, long count, bool max)
    {
        long taken = Math.Min(count, set.Count);
        return set.Walk(max ? set.Count - 1 : 0, taken, reverse: max).ToList();
    }
}
