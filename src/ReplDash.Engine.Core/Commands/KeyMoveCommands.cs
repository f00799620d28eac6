using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>RENAME, RENAMENX and COPY: a value (and its expiry) under another name.</summary>
internal static class KeyMoveCommands
{
    /// <summary>RENAME key newkey. Replicated as sent (deterministic: the replica holds the same source).</summary>
    public static void Rename(CommandContext context, byte[][] args) => RenameKey(context, args, onlyIfAbsent: false);

    /// <summary>RENAMENX key newkey. Replicated as RENAME when it renamed.</summary>
    public static void RenameNx(CommandContext context, byte[][] args) => RenameKey(context, args, onlyIfAbsent: true);

    /// <summary>COPY source destination [DB 0] [REPLACE]: 1 when copied. Replicated without the DB option.</summary>
    public static void Copy(CommandContext context, byte[][] args)
    {
        bool replace = false;
        for (int i = 3; i < args.Length; i++)
        {
            if (ArgumentNames.Is(args[i], "REPLACE"u8))
                replace = true;
            else if (ArgumentNames.Is(args[i], "DB"u8) && i + 1 < args.Length)
            {
                if (!IntegerText.TryParse(args[++i], out long db) || db is < int.MinValue or > int.MaxValue)
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return;
                }
                if (db != 0)
                {
                    RespWriter.Error(context.Reply, "ERR DB index is out of range"); // one database here
                    return;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (args[1].AsSpan().SequenceEqual(args[2]))
        {
            RespWriter.Error(context.Reply, "ERR source and destination objects are the same");
            return;
        }
        var store = context.Keyspace;
        var source = store.Lookup(context, args[1]);
        if (source is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var destination = store.Lookup(context, args[2]);
        if (destination is not null && !replace)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        if (destination is not null)
            store.Remove(destination);
        // Encoding and decoding is a deep copy of any type, the same one checkpoints use.
        var stored = StoredValueCodec.ToStored(source);
        var copy = store.Create(args[2], source.Type, StoredValueCodec.Decode(source.Type, stored.Value!));
        store.SetExpiry(copy, source.ExpireAtMs);
        context.RecordEffect(replace ? [args[0], args[1], args[2], ArgumentNames.Replace] : [args[0], args[1], args[2]]);
        RespWriter.Integer(context.Reply, 1);
    }

    private static void RenameKey(CommandContext context, byte[][] args, bool onlyIfAbsent)
    {
        var store = context.Keyspace;
        var source = store.Lookup(context, args[1]);
        if (source is null)
        {
            RespWriter.Error(context.Reply, "ERR no such key");
            return;
        }
        if (args[1].AsSpan().SequenceEqual(args[2]))
        {
            if (onlyIfAbsent)
                RespWriter.Integer(context.Reply, 0);
            else
                RespWriter.Ok(context.Reply);
            return;
        }
        var destination = store.Lookup(context, args[2]);
        if (destination is not null)
        {
            if (onlyIfAbsent)
            {
                RespWriter.Integer(context.Reply, 0);
                return;
            }
            store.Remove(destination);
        }
        store.Remove(source);
        var moved = store.Create(args[2], source.Type, source.Value);
        store.SetExpiry(moved, source.ExpireAtMs);
        context.RecordEffect(ArgumentNames.Rename, args[1], args[2]);
        if (onlyIfAbsent)
            RespWriter.Integer(context.Reply, 1);
        else
            RespWriter.Ok(context.Reply);
    }
}
