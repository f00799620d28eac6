using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Hash commands on fields: HMSET, HMGET, HINCRBY, HINCRBYFLOAT, HEXISTS, HKEYS, HVALS, HSETNX, HSTRLEN.</summary>
internal static class HashFieldCommands
{
    private static readonly byte[] HSetName = "HSET"u8.ToArray();

    public static void HMSet(CommandContext context, byte[][] args)
    {
        if (args.Length % 2 != 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongArgumentCount("hmset"));
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        entry ??= CreateHash(context, args[1]);
        for (int i = 2; i < args.Length; i += 2)
            entry.HashValue[args[i]] = args[i + 1];
        context.Keyspace.Touch(entry);
        context.RecordEffect(args); // deterministic: the replica sets the same fields
        RespWriter.Ok(context.Reply);
    }

    public static void HMGet(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        RespWriter.ArrayHeader(context.Reply, args.Length - 2);
        for (int i = 2; i < args.Length; i++)
        {
            if (entry is not null && entry.HashValue.TryGetValue(args[i], out var value))
                RespWriter.Bulk(context.Reply, value);
            else
                RespWriter.NullBulk(context.Reply);
        }
    }

    public static void HIncrBy(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[3], out long increment))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        long value = 0;
        if (entry is not null && entry.HashValue.TryGetValue(args[2], out var current) && !IntegerText.TryParse(current, out value))
        {
            RespWriter.Error(context.Reply, "ERR hash value is not an integer");
            return;
        }
        if ((increment < 0 && value < 0 && increment < long.MinValue - value) ||
            (increment > 0 && value > 0 && increment > long.MaxValue - value))
        {
            RespWriter.Error(context.Reply, CommandErrors.Overflow);
            return;
        }
        value += increment;
        entry ??= CreateHash(context, args[1]);
        entry.HashValue[args[2]] = IntegerText.Format(value);
        context.Keyspace.Touch(entry);
        context.RecordEffect(args); // integer arithmetic replays exactly
        RespWriter.Integer(context.Reply, value);
    }

    public static void HIncrByFloat(CommandContext context, byte[][] args)
    {
        if (!LongDoubleText.TryParse(args[3], out double increment))
        {
            RespWriter.Error(context.Reply, "ERR value is not a valid float");
            return;
        }
        if (double.IsInfinity(increment))
        {
            RespWriter.Error(context.Reply, "ERR value is NaN or Infinity");
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        double value = 0;
        if (entry is not null && entry.HashValue.TryGetValue(args[2], out var current) && !LongDoubleText.TryParse(current, out value))
        {
            RespWriter.Error(context.Reply, "ERR hash value is not a float");
            return;
        }
        value += increment;
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            RespWriter.Error(context.Reply, "ERR increment would produce NaN or Infinity");
            return;
        }
        var text = LongDoubleText.Format(value);
        entry ??= CreateHash(context, args[1]);
        entry.HashValue[args[2]] = text;
        context.Keyspace.Touch(entry);
        // As Redis does: replicate the result, so float rounding can never differ on a replica.
        context.RecordEffect(HSetName, args[1], args[2], text);
        RespWriter.Bulk(context.Reply, text);
    }

    public static void HExists(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry is not null && entry.HashValue.ContainsKey(args[2]) ? 1 : 0);
    }

    public static void HKeys(CommandContext context, byte[][] args) => WriteAll(context, args, keys: true);

    public static void HVals(CommandContext context, byte[][] args) => WriteAll(context, args, keys: false);

    public static void HSetNx(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        if (entry is not null && entry.HashValue.ContainsKey(args[2]))
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        entry ??= CreateHash(context, args[1]);
        entry.HashValue[args[2]] = args[3];
        context.Keyspace.Touch(entry);
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, 1);
    }

    public static void HStrLen(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry is not null && entry.HashValue.TryGetValue(args[2], out var value) ? value.Length : 0);
    }

    private static void WriteAll(CommandContext context, byte[][] args, bool keys)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        RespWriter.ArrayHeader(context.Reply, entry.HashValue.Count);
        foreach (var (field, value) in entry.HashValue)
            RespWriter.Bulk(context.Reply, keys ? field : value);
    }

    internal static KeyEntry CreateHash(CommandContext context, byte[] key) =>
        context.Keyspace.Create(key, ValueType.Hash, new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance));
}
