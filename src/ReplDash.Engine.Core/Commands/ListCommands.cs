using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>List commands: LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN.</summary>
internal static class ListCommands
{
    public static void LPush(CommandContext context, byte[][] args) => Push(context, args, atHead: true);

    public static void RPush(CommandContext context, byte[][] args) => Push(context, args, atHead: false);

    public static void LPop(CommandContext context, byte[][] args) => Pop(context, args, "lpop", atHead: true);

    public static void RPop(CommandContext context, byte[][] args) => Pop(context, args, "rpop", atHead: false);

    public static void LRange(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long start) || !IntegerText.TryParse(args[3], out long stop))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        var list = entry.ListValue;
        var (from, count) = RankRange.Clamp(start, stop, list.Count);
        RespWriter.ArrayHeader(context.Reply, (int)count);
        for (long i = from; i < from + count; i++)
            RespWriter.Bulk(context.Reply, list[(int)i]);
    }

    public static void LLen(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry?.ListValue.Count ?? 0);
    }

    private static void Push(CommandContext context, byte[][] args, bool atHead)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        entry ??= context.Keyspace.Create(args[1], ValueType.List, new ByteDeque());
        var list = entry.ListValue;
        for (int i = 2; i < args.Length; i++)
        {
            if (atHead)
                list.PushFront(args[i]);
            else
                list.PushBack(args[i]);
        }
        context.Keyspace.Touch(entry);
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, list.Count);
    }

    private static void Pop(CommandContext context, byte[][] args, string name, bool atHead)
    {
        if (args.Length > 3)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongArgumentCount(name));
            return;
        }
        bool hasCount = args.Length == 3;
        long count = 1;
        if (hasCount && !CountArgument.TryParse(context, args[2], out count))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            if (hasCount)
                RespWriter.NullArray(context.Reply);
            else
                RespWriter.NullBulk(context.Reply);
            return;
        }
        var list = entry.ListValue;
        if (!hasCount)
        {
            RespWriter.Bulk(context.Reply, atHead ? list.PopFront() : list.PopBack());
        }
        else
        {
            int taken = (int)Math.Min(count, list.Count);
            RespWriter.ArrayHeader(context.Reply, taken);
            if (taken == 0)
                return; // LPOP k 0 changes nothing
            for (int i = 0; i < taken; i++)
                RespWriter.Bulk(context.Reply, atHead ? list.PopFront() : list.PopBack());
        }
        context.Keyspace.TouchOrRemoveIfEmpty(entry, list.Count);
        // Verbatim is deterministic: the replica pops the same elements from the same list.
        context.RecordEffect(args);
    }
}
