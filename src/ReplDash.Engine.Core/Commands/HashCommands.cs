using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Hash commands: HSET, HGET, HDEL, HGETALL, HLEN.</summary>
internal static class HashCommands
{
    public static void HSet(CommandContext context, byte[][] args)
    {
        if (args.Length % 2 != 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongArgumentCount("hset"));
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        entry ??= context.Keyspace.Create(args[1], ValueType.Hash,
            new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance));
        var hash = entry.HashValue;
        int added = 0;
        for (int i = 2; i < args.Length; i += 2)
        {
            if (hash.TryAdd(args[i], args[i + 1]))
                added++;
            else
                hash[args[i]] = args[i + 1];
        }
        context.Keyspace.Touch(entry);
        // Redis propagates HSET even when the values were already there; so do we (it replays the same).
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, added);
    }

    public static void HGet(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        if (entry is not null && entry.HashValue.TryGetValue(args[2], out var value))
            RespWriter.Bulk(context.Reply, value);
        else
            RespWriter.NullBulk(context.Reply);
    }

    public static void HDel(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        int removed = 0;
        if (entry is not null)
        {
            var hash = entry.HashValue;
            for (int i = 2; i < args.Length; i++)
            {
                if (hash.Remove(args[i]))
                    removed++;
            }
            if (removed > 0)
            {
                context.Keyspace.TouchOrRemoveIfEmpty(entry, hash.Count);
                context.RecordEffect(args);
            }
        }
        RespWriter.Integer(context.Reply, removed);
    }

    public static void HGetAll(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.MapHeader(context.Reply, 0);
            return;
        }
        var hash = entry.HashValue;
        RespWriter.MapHeader(context.Reply, hash.Count);
        foreach (var (field, value) in hash)
        {
            RespWriter.Bulk(context.Reply, field);
            RespWriter.Bulk(context.Reply, value);
        }
    }

    public static void HLen(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry?.HashValue.Count ?? 0);
    }
}
