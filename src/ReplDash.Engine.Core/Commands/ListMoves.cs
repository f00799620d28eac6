using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// The pops and moves shared by LMOVE, RPOPLPUSH, LMPOP and their blocking forms, each writing the reply and
/// recording the deterministic effect Redis propagates (LMOVE, RPOPLPUSH, LPOP/RPOP key count).
/// </summary>
internal static class ListMoves
{
    public static readonly byte[] Left = "LEFT"u8.ToArray();
    public static readonly byte[] Right = "RIGHT"u8.ToArray();
    private static readonly byte[] LMoveName = "LMOVE"u8.ToArray();
    private static readonly byte[] RPopLPushName = "RPOPLPUSH"u8.ToArray();
    private static readonly byte[] LPopName = "LPOP"u8.ToArray();
    private static readonly byte[] RPopName = "RPOP"u8.ToArray();

    /// <summary>LEFT or RIGHT (any case); false after a syntax error reply.</summary>
    public static bool TryParseSide(CommandContext context, byte[] argument, out bool left)
    {
        left = ArgumentNames.Is(argument, "LEFT"u8);
        if (left || ArgumentNames.Is(argument, "RIGHT"u8))
            return true;
        RespWriter.Error(context.Reply, CommandErrors.Syntax);
        return false;
    }

    /// <summary>
    /// Moves one element from the non-empty list <paramref name="source"/> to <paramref name="destinationKey"/>
    /// (created when absent) and replies with it; false, with a WRONGTYPE reply and nothing changed, when the
    /// destination holds another type.
    /// </summary>
    public static bool TryMove(CommandContext context, KeyEntry source, byte[] destinationKey, bool fromLeft, bool toLeft, bool asRPopLPush)
    {
        if (!TypedLookup.TryGet(context, destinationKey, ValueType.List, out var destination))
            return false;
        var value = fromLeft ? source.ListValue.PopFront() : source.ListValue.PopBack();
        destination ??= context.Keyspace.Create(destinationKey, ValueType.List, new ByteDeque());
        if (toLeft)
            destination.ListValue.PushFront(value);
        else
            destination.ListValue.PushBack(value);
        context.Keyspace.Touch(destination);
        // Same key: the list got its element back, so it is never empty here.
        context.Keyspace.TouchOrRemoveIfEmpty(source, source.ListValue.Count);
        if (asRPopLPush)
            context.RecordEffect(RPopLPushName, source.Key, destinationKey);
        else
            context.RecordEffect(LMoveName, source.Key, destinationKey, fromLeft ? Left : Right, toLeft ? Left : Right);
        RespWriter.Bulk(context.Reply, value);
        return true;
    }

    /// <summary>
    /// Pops up to <paramref name="count"/> elements from the non-empty list <paramref name="entry"/> and replies
    /// [key, [elements]] (LMPOP's shape); replicated as LPOP/RPOP key n.
    /// </summary>
    public static void PopRangeWithKey(CommandContext context, KeyEntry entry, bool fromLeft, long count)
    {
        var list = entry.ListValue;
        int taken = (int)Math.Min(count, list.Count);
        RespWriter.ArrayHeader(context.Reply, 2);
        RespWriter.Bulk(context.Reply, entry.Key);
        RespWriter.ArrayHeader(context.Reply, taken);
        for (int i = 0; i < taken; i++)
            RespWriter.Bulk(context.Reply, fromLeft ? list.PopFront() : list.PopBack());
        context.Keyspace.TouchOrRemoveIfEmpty(entry, list.Count);
        context.RecordEffect(fromLeft ? LPopName : RPopName, entry.Key, IntegerText.Format(taken));
    }

    /// <summary>Pops one element and replies [key, element] (BLPOP's shape); replicated as LPOP/RPOP key.</summary>
    public static void PopOneWithKey(CommandContext context, KeyEntry entry, bool fromLeft)
    {
        var list = entry.ListValue;
        var value = fromLeft ? list.PopFront() : list.PopBack();
        RespWriter.ArrayHeader(context.Reply, 2);
        RespWriter.Bulk(context.Reply, entry.Key);
        RespWriter.Bulk(context.Reply, value);
        context.Keyspace.TouchOrRemoveIfEmpty(entry, list.Count);
        context.RecordEffect(fromLeft ? LPopName : RPopName, entry.Key);
    }

    /// <summary>The parsed form of LMPOP/BLMPOP's arguments after numkeys.</summary>
    public readonly record struct MultiPop(byte[][] Keys, bool FromLeft, long Count);

    /// <summary>
    /// Parses "numkeys key... LEFT|RIGHT [COUNT n]" with numkeys at <paramref name="numKeysIndex"/>, with Redis's
    /// checks in Redis's order; false after an error reply.
    /// </summary>
    public static bool TryParseMultiPop(CommandContext context, byte[][] args, int numKeysIndex, out MultiPop parsed)
    {
        parsed = default;
        if (!IntegerText.TryParse(args[numKeysIndex], out long numKeys) || numKeys < 1)
        {
            RespWriter.Error(context.Reply, "ERR numkeys should be greater than 0");
            return false;
        }
        long sideIndex = numKeysIndex + numKeys + 1;
        if (sideIndex >= args.Length)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return false;
        }
        if (!TryParseSide(context, args[sideIndex], out bool fromLeft))
            return false;
        long count = -1;
        for (long i = sideIndex + 1; i < args.Length; i++)
        {
            if (count == -1 && i + 1 < args.Length && ArgumentNames.Is(args[i], "COUNT"u8))
            {
                if (!IntegerText.TryParse(args[++i], out count) || count < 1)
                {
                    RespWriter.Error(context.Reply, "ERR count should be greater than 0");
                    return false;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return false;
            }
        }
        parsed = new MultiPop(args[(numKeysIndex + 1)..(int)sideIndex], fromLeft, count == -1 ? 1 : count);
        return true;
    }

    /// <summary>
    /// The first key of <paramref name="keys"/> holding a list, as LMPOP and BLPOP look for one; false after a
    /// WRONGTYPE reply when a key before it holds another type. Null when none holds a list.
    /// </summary>
    public static bool TryFindFirstList(CommandContext context, IEnumerable<byte[]> keys, out KeyEntry? found)
    {
        found = null;
        foreach (var key in keys)
        {
            if (!TypedLookup.TryGet(context, key, ValueType.List, out var entry))
                return false;
            if (entry is not null && entry.ListValue.Count > 0)
            {
                found = entry;
                return true;
            }
        }
        return true;
    }
}
