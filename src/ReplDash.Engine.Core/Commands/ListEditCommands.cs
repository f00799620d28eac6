using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// List commands that read or edit by position or value: LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS, LPUSHX, RPUSHX.
/// Each change is replicated as the command itself: on the same list it does the same thing.
/// </summary>
internal static class ListEditCommands
{
    public static void LIndex(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.NullBulk(context.Reply);
            return;
        }
        if (!IntegerText.TryParse(args[2], out long index))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        var list = entry.ListValue;
        if (TryNormalize(index, list.Count, out int at))
            RespWriter.Bulk(context.Reply, list[at]);
        else
            RespWriter.NullBulk(context.Reply);
    }

    public static void LSet(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.Error(context.Reply, "ERR no such key");
            return;
        }
        if (!IntegerText.TryParse(args[2], out long index))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        var list = entry.ListValue;
        if (!TryNormalize(index, list.Count, out int at))
        {
            RespWriter.Error(context.Reply, "ERR index out of range");
            return;
        }
        list.Set(at, args[3]);
        context.Keyspace.Touch(entry);
        context.RecordEffect(args);
        RespWriter.Ok(context.Reply);
    }

    public static void LInsert(CommandContext context, byte[][] args)
    {
        bool after;
        if (ArgumentNames.Is(args[2], "AFTER"u8))
            after = true;
        else if (ArgumentNames.Is(args[2], "BEFORE"u8))
            after = false;
        else
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var list = entry.ListValue;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].AsSpan().SequenceEqual(args[3]))
            {
                list.Insert(after ? i + 1 : i, args[4]);
                context.Keyspace.Touch(entry);
                context.RecordEffect(args);
                RespWriter.Integer(context.Reply, list.Count);
                return;
            }
        }
        RespWriter.Integer(context.Reply, -1);
    }

    public static void LRem(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long count))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var list = entry.ListValue;
        // long.MinValue has no positive counterpart; it means "remove every match from the tail", as any huge count does.
        long limit = count == long.MinValue ? 0 : Math.Abs(count);
        int removed = list.RemoveEqual(args[3], limit, fromTail: count < 0);
        if (removed > 0)
        {
            context.Keyspace.TouchOrRemoveIfEmpty(entry, list.Count);
            context.RecordEffect(args);
        }
        RespWriter.Integer(context.Reply, removed);
    }

    public static void LTrim(CommandContext context, byte[][] args)
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
            RespWriter.Ok(context.Reply);
            return;
        }
        var list = entry.ListValue;
        int before = list.Count;
        var (from, count) = RankRange.Clamp(start, stop, before);
        if (count == 0)
            list.Clear();
        else
            list.Keep((int)from, (int)(from + count - 1));
        if (list.Count != before)
        {
            context.Keyspace.TouchOrRemoveIfEmpty(entry, list.Count);
            context.RecordEffect(args);
        }
        RespWriter.Ok(context.Reply);
    }

    public static void LPos(CommandContext context, byte[][] args)
    {
        long rank = 1, count = -1, maxLength = 0; // count -1: no COUNT option
        for (int i = 3; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            if (hasValue && ArgumentNames.Is(args[i], "RANK"u8))
            {
                if (!IntegerText.TryParse(args[++i], out rank))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return;
                }
                if (rank == 0)
                {
                    RespWriter.Error(context.Reply, "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                    return;
                }
            }
            else if (hasValue && ArgumentNames.Is(args[i], "COUNT"u8))
            {
                if (!IntegerText.TryParse(args[++i], out count) || count < 0)
                {
                    RespWriter.Error(context.Reply, "ERR COUNT can't be negative");
                    return;
                }
            }
            else if (hasValue && ArgumentNames.Is(args[i], "MAXLEN"u8))
            {
                if (!IntegerText.TryParse(args[++i], out maxLength) || maxLength < 0)
                {
                    RespWriter.Error(context.Reply, "ERR MAXLEN can't be negative");
                    return;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        bool fromTail = rank < 0;
        // long.MinValue cannot be negated; no list has that many matches, so the largest rank behaves the same.
        rank = rank == long.MinValue ? long.MaxValue : Math.Abs(rank);
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        var matches = new List<long>();
        if (entry is not null)
        {
            var list = entry.ListValue;
            long seen = 0;
            for (int n = 0; n < list.Count && (maxLength == 0 || n < maxLength); n++)
            {
                int i = fromTail ? list.Count - 1 - n : n;
                if (!list[i].AsSpan().SequenceEqual(args[2]))
                    continue;
                seen++;
                if (seen < rank)
                    continue;
                matches.Add(i);
                if (count == -1 || (count > 0 && matches.Count >= count))
                    break;
            }
        }
        if (count == -1)
        {
            if (matches.Count > 0)
                RespWriter.Integer(context.Reply, matches[0]);
            else
                RespWriter.NullBulk(context.Reply);
            return;
        }
        RespWriter.ArrayHeader(context.Reply, matches.Count);
        foreach (long index in matches)
            RespWriter.Integer(context.Reply, index);
    }

    public static void LPushX(CommandContext context, byte[][] args) => PushExisting(context, args, atHead: true);

    public static void RPushX(CommandContext context, byte[][] args) => PushExisting(context, args, atHead: false);

    private static void PushExisting(CommandContext context, byte[][] args, bool atHead)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.List, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
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

    /// <summary>A Redis list index (negative counts from the tail) as a valid position, or false when outside.</summary>
    private static bool TryNormalize(long index, int length, out int at)
    {
        if (index < 0)
            index += length;
        at = (int)Math.Clamp(index, -1, int.MaxValue);
        return index >= 0 && index < length;
    }
}
