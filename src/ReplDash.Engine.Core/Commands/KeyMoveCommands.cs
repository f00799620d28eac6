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

    /// <summary>
    /// COPY source destination [DB destination-db] [REPLACE]: 1 when copied. Replicated as sent, with the DB option only
    /// when it names another database than the selected one.
    /// </summary>
    public static void Copy(CommandContext context, byte[][] args)
    {
        bool replace = false;
        int sourceDatabase = context.Database;
        int target = sourceDatabase;
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
                if (!context.Databases.IsValid(db))
                {
                    RespWriter.Error(context.Reply, "ERR DB index is out of range");
                    return;
                }
                target = (int)db;
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (target == sourceDatabase && args[1].AsSpan().SequenceEqual(args[2]))
        {
            RespWriter.Error(context.Reply, "ERR source and destination objects are the same");
            return;
        }
        var source = context.Keyspace.Lookup(context, args[1]);
        if (source is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        // The destination is looked up in its own database, so a lazy expiry there is logged there.
        context.Database = target;
        var store = context.Keyspace;
        var destination = store.Lookup(context, args[2]);
        context.Database = sourceDatabase;
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
        var effect = new List<byte[]> { args[0], args[1], args[2] };
        if (target != sourceDatabase)
            effect.AddRange(["DB"u8.ToArray(), IntegerText.Format(target)]);
        if (replace)
            effect.Add(ArgumentNames.Replace);
        context.RecordEffect(effect.ToArray());
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
