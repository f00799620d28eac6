using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>String commands: GET, SET, SETNX, GETSET, MGET, MSET, INCR/DECR family, APPEND, STRLEN.</summary>
internal static class StringCommands
{
    private const int MaxStringBytes = 512 * 1024 * 1024;

    public static void Get(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        WriteBulkOrNull(context, entry);
    }

    public static void Set(CommandContext context, byte[][] args)
    {
        if (!SetOptions.TryParse(context, args, out var options))
            return;
        var store = context.Keyspace;
        byte[] key = args[1], value = args[2];
        var existing = store.Lookup(context, key);
        if (options.Get && existing is not null && existing.Type != ValueType.String)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongType);
            return;
        }
        byte[]? previous = existing?.Type == ValueType.String ? existing.StringValue : null;
        if ((options.OnlyIfAbsent && existing is not null) || (options.OnlyIfPresent && existing is null))
        {
            if (options.Get)
                WriteBulkOrNull(context, previous);
            else
                RespWriter.NullBulk(context.Reply);
            return;
        }

        if (options.ExpireAtMs is long at && KeyspaceStore.IsDue(at, context.NowMs))
        {
            // An absolute time already past: the key ends up absent, as if set and expired at once.
            if (existing is not null)
            {
                store.Remove(existing);
                context.RecordEffect(ArgumentNames.Del, key);
            }
        }
        else
        {
            store.SetString(existing, key, value, options.ExpireAtMs ?? 0, options.KeepTtl);
            if (options.ExpireAtMs is long absolute)
                context.RecordEffect(ArgumentNames.Set, key, value, ArgumentNames.Pxat, IntegerText.Format(absolute));
            else if (options.KeepTtl)
                context.RecordEffect(ArgumentNames.Set, key, value, ArgumentNames.KeepTtl);
            else
                context.RecordEffect(ArgumentNames.Set, key, value);
        }

        if (options.Get)
            WriteBulkOrNull(context, previous);
        else
            RespWriter.Ok(context.Reply);
    }

    public static void SetNx(CommandContext context, byte[][] args)
    {
        if (context.Keyspace.Lookup(context, args[1]) is not null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        context.Keyspace.SetString(args[1], args[2], 0, keepTtl: false);
        context.RecordEffect(ArgumentNames.Set, args[1], args[2]);
        RespWriter.Integer(context.Reply, 1);
    }

    public static void GetSet(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        var previous = entry?.StringValue;
        context.Keyspace.SetString(args[1], args[2], 0, keepTtl: false);
        context.RecordEffect(ArgumentNames.Set, args[1], args[2]);
        WriteBulkOrNull(context, previous);
    }

    public static void MGet(CommandContext context, byte[][] args)
    {
        RespWriter.ArrayHeader(context.Reply, args.Length - 1);
        for (int i = 1; i < args.Length; i++)
        {
            var entry = context.Keyspace.Lookup(context, args[i]);
            WriteBulkOrNull(context, entry?.Type == ValueType.String ? entry.StringValue : null);
        }
    }

    public static void MSet(CommandContext context, byte[][] args)
    {
        if (args.Length % 2 == 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongArgumentCount("mset"));
            return;
        }
        // Overwriting replaces value and expiry, so an expired old value needs no DEL first.
        for (int i = 1; i < args.Length; i += 2)
            context.Keyspace.SetString(args[i], args[i + 1], 0, keepTtl: false);
        context.RecordEffect(args);
        RespWriter.Ok(context.Reply);
    }

    public static void Incr(CommandContext context, byte[][] args) => IncrementBy(context, args, 1);

    public static void Decr(CommandContext context, byte[][] args) => IncrementBy(context, args, -1);

    public static void IncrBy(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long delta))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        IncrementBy(context, args, delta);
    }

    public static void DecrBy(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long delta))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (delta == long.MinValue)
        {
            RespWriter.Error(context.Reply, "ERR decrement would overflow");
            return;
        }
        IncrementBy(context, args, -delta);
    }

    public static void Append(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        byte[] suffix = args[2];
        if (entry is null)
        {
            context.Keyspace.Create(args[1], ValueType.String, suffix);
            RespWriter.Integer(context.Reply, suffix.Length);
        }
        else
        {
            var current = entry.StringValue;
            if ((long)current.Length + suffix.Length > MaxStringBytes)
            {
                RespWriter.Error(context.Reply, CommandErrors.StringTooLong);
                return;
            }
            if (suffix.Length == 0)
            {
                RespWriter.Integer(context.Reply, current.Length);
                return; // nothing changed, nothing to replicate
            }
            // A new array: stored values may be shared with logged effects, so never grow one in place.
            var combined = new byte[current.Length + suffix.Length];
            current.CopyTo(combined, 0);
            suffix.CopyTo(combined, current.Length);
            context.Keyspace.ReplaceString(entry, combined);
            entry.RawEncoding = true; // as Redis: a string grown in place is no longer int or embstr
            RespWriter.Integer(context.Reply, combined.Length);
        }
        context.RecordEffect(args);
    }

    public static void StrLen(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry?.StringValue.Length ?? 0);
    }

    private static void IncrementBy(CommandContext context, byte[][] args, long delta)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        long current = 0;
        if (entry is not null && !IntegerText.TryParse(entry.StringValue, out current))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if ((delta > 0 && current > long.MaxValue - delta) || (delta < 0 && current < long.MinValue - delta))
        {
            RespWriter.Error(context.Reply, CommandErrors.Overflow);
            return;
        }
        long result = current + delta;
        var text = IntegerText.Format(result);
        if (entry is null)
            context.Keyspace.Create(args[1], ValueType.String, text);
        else
            context.Keyspace.ReplaceString(entry, text); // INCR keeps the expiry, as in Redis
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, result);
    }

    private static void WriteBulkOrNull(CommandContext context, KeyEntry? entry) =>
        WriteBulkOrNull(context, entry?.StringValue);

    private static void WriteBulkOrNull(CommandContext context, byte[]? value)
    {
        if (value is null)
            RespWriter.NullBulk(context.Reply);
        else
            RespWriter.Bulk(context.Reply, value);
    }
}
