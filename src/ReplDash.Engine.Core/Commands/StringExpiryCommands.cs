using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>String commands that also set, read or drop the expiry: SETEX, PSETEX, GETEX, GETDEL.</summary>
internal static class StringExpiryCommands
{
    /// <summary>SETEX key seconds value: replicated as SET key value PXAT t.</summary>
    public static void SetEx(CommandContext context, byte[][] args) => SetWithTtl(context, args, "setex", seconds: true);

    /// <summary>PSETEX key milliseconds value: replicated as SET key value PXAT t.</summary>
    public static void PSetEx(CommandContext context, byte[][] args) => SetWithTtl(context, args, "psetex", seconds: false);

    /// <summary>GETDEL key: the value, then the key is gone (replicated as DEL).</summary>
    public static void GetDel(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.NullBulk(context.Reply);
            return;
        }
        RespWriter.Bulk(context.Reply, entry.StringValue);
        context.Keyspace.Remove(entry);
        context.RecordEffect(ArgumentNames.Del, entry.Key);
    }

    /// <summary>
    /// GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]: the value, and the expiry changed. Replicated as
    /// PEXPIREAT, DEL (a time already past) or PERSIST; a plain GETEX changes nothing.
    /// </summary>
    public static void GetEx(CommandContext context, byte[][] args)
    {
        // As in Redis: options first (syntax), then the key (nil or WRONGTYPE), then the number.
        if (!TryParseGetExOptions(context, args, out var word, out var amountText, out bool persist))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.NullBulk(context.Reply);
            return;
        }
        long atMs = 0;
        bool relative = word is not null && (ArgumentNames.Is(word, "EX"u8) || ArgumentNames.Is(word, "PX"u8));
        if (word is not null)
        {
            if (!IntegerText.TryParse(amountText, out long amount))
            {
                RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                return;
            }
            bool seconds = ArgumentNames.Is(word, "EX"u8) || ArgumentNames.Is(word, "EXAT"u8);
            if (amount <= 0 || !ExpiryMath.TryToAbsoluteMs(amount, seconds, relative ? context.ClockForDisplayMs : 0, out atMs) || atMs <= 0)
            {
                RespWriter.Error(context.Reply, CommandErrors.InvalidExpireTime("getex"));
                return;
            }
        }
        RespWriter.Bulk(context.Reply, entry.StringValue);
        var store = context.Keyspace;
        if (word is not null)
        {
            if (!relative && context.NowMs is long now && atMs <= now)
            {
                // An absolute time already past: the key goes now, and replicas get a DEL.
                store.Remove(entry);
                context.RecordEffect(ArgumentNames.Del, entry.Key);
            }
            else
            {
                store.SetExpiry(entry, atMs);
                context.RecordEffect(ArgumentNames.PexpireAt, entry.Key, IntegerText.Format(atMs));
            }
        }
        else if (persist && entry.ExpireAtMs != 0)
        {
            store.SetExpiry(entry, 0);
            context.RecordEffect(ArgumentNames.Persist, entry.Key);
        }
    }

    private static bool TryParseGetExOptions(CommandContext context, byte[][] args, out byte[]? word, out byte[] amountText, out bool persist)
    {
        word = null;
        amountText = [];
        persist = false;
        for (int i = 2; i < args.Length; i++)
        {
            var a = args[i];
            bool hasNext = i + 1 < args.Length;
            bool isExpiryWord = ArgumentNames.Is(a, "EX"u8) || ArgumentNames.Is(a, "PX"u8) || ArgumentNames.Is(a, "EXAT"u8)
                || ArgumentNames.Is(a, "PXAT"u8);
            if (ArgumentNames.Is(a, "PERSIST"u8) && word is null)
                persist = true;
            else if (isExpiryWord && !persist && (word is null || ArgumentNames.Is(word, a)) && hasNext)
            {
                word = a;
                amountText = args[++i];
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return false;
            }
        }
        return true;
    }

    private static void SetWithTtl(CommandContext context, byte[][] args, string name, bool seconds)
    {
        if (!IntegerText.TryParse(args[2], out long amount))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (amount <= 0 || !ExpiryMath.TryToAbsoluteMs(amount, seconds, context.ClockForDisplayMs, out long atMs) || atMs <= 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.InvalidExpireTime(name));
            return;
        }
        byte[] key = args[1], value = args[3];
        context.Keyspace.SetString(context.Keyspace.Peek(key), key, value, atMs, keepTtl: false);
        context.RecordEffect(ArgumentNames.Set, key, value, ArgumentNames.Pxat, IntegerText.Format(atMs));
        RespWriter.Ok(context.Reply);
    }
}
