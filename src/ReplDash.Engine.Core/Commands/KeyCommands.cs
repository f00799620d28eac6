using System.Text;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Commands about keys rather than values: DEL, EXISTS, TYPE, KEYS, SCAN, DBSIZE, FLUSHALL.</summary>
internal static class KeyCommands
{
    private const int DefaultScanCount = 10;

    public static void Del(CommandContext context, byte[][] args)
    {
        var deleted = new List<byte[]>();
        for (int i = 1; i < args.Length; i++)
        {
            var entry = context.Keyspace.Lookup(context, args[i]);
            if (entry is null)
                continue;
            context.Keyspace.Remove(entry);
            deleted.Add(entry.Key);
        }
        if (deleted.Count > 0)
        {
            // Only the keys that existed, so the effect never claims a change that did not happen.
            deleted.Insert(0, ArgumentNames.Del);
            context.RecordEffect(deleted.ToArray());
        }
        RespWriter.Integer(context.Reply, deleted.Count == 0 ? 0 : deleted.Count - 1);
    }

    public static void Exists(CommandContext context, byte[][] args)
    {
        long found = 0;
        for (int i = 1; i < args.Length; i++)
        {
            if (context.Keyspace.Lookup(context, args[i]) is not null)
                found++;
        }
        RespWriter.Integer(context.Reply, found);
    }

    public static void Type(CommandContext context, byte[][] args)
    {
        var entry = context.Keyspace.Lookup(context, args[1]);
        RespWriter.SimpleString(context.Reply, entry is null ? "none" : TypeName(entry.Type));
    }

    public static void Keys(CommandContext context, byte[][] args)
    {
        byte[] pattern = args[1];
        bool everything = pattern is [(byte)'*'];
        var matched = new List<byte[]>();
        var due = new List<KeyEntry>();
        foreach (var entry in context.Keyspace.Entries)
        {
            if (!everything && !GlobPattern.IsMatch(pattern, entry.Key))
                continue;
            if (KeyspaceStore.IsDue(entry, context.NowMs))
                due.Add(entry);
            else
                matched.Add(entry.Key);
        }
        ExpireNow(context, due);
        RespWriter.ArrayHeader(context.Reply, matched.Count);
        foreach (var key in matched)
            RespWriter.Bulk(context.Reply, key);
    }

    public static void Scan(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParseUnsigned(args[1], out ulong cursor))
        {
            RespWriter.Error(context.Reply, CommandErrors.InvalidCursor);
            return;
        }
        byte[]? pattern = null;
        string? typeName = null;
        long count = DefaultScanCount;
        for (int i = 2; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
            if (ArgumentNames.Is(args[i], "MATCH"u8))
                pattern = args[i + 1];
            else if (ArgumentNames.Is(args[i], "TYPE"u8))
                typeName = Encoding.UTF8.GetString(args[i + 1]);
            else if (ArgumentNames.Is(args[i], "COUNT"u8))
            {
                if (!IntegerText.TryParse(args[i + 1], out count))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return;
                }
                if (count < 1)
                {
                    RespWriter.Error(context.Reply, CommandErrors.Syntax);
                    return;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }

        var visited = new List<byte[]>();
        // Cursors beyond the table simply end the walk.
        long start = cursor > long.MaxValue ? long.MaxValue : (long)cursor;
        long next = context.Keyspace.ScanStep(start, (int)Math.Min(count, 100_000), visited);
        var matched = new List<byte[]>();
        var due = new List<KeyEntry>();
        foreach (var key in visited)
        {
            var entry = context.Keyspace.Peek(key)!;
            if (pattern is not null && !GlobPattern.IsMatch(pattern, key))
                continue;
            if (KeyspaceStore.IsDue(entry, context.NowMs))
            {
                due.Add(entry);
                continue;
            }
            if (typeName is not null && !string.Equals(typeName, TypeName(entry.Type), StringComparison.OrdinalIgnoreCase))
                continue;
            matched.Add(key);
        }
        ExpireNow(context, due);
        RespWriter.ArrayHeader(context.Reply, 2);
        RespWriter.Bulk(context.Reply, IntegerText.Format(next));
        RespWriter.ArrayHeader(context.Reply, matched.Count);
        foreach (var key in matched)
            RespWriter.Bulk(context.Reply, key);
    }

    public static void DbSize(CommandContext context, byte[][] args) =>
        RespWriter.Integer(context.Reply, context.Keyspace.Count);

    public static void FlushAll(CommandContext context, byte[][] args)
    {
        if (args.Length > 2 || (args.Length == 2 && !ArgumentNames.Is(args[1], "ASYNC"u8) && !ArgumentNames.Is(args[1], "SYNC"u8)))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        // Every database, as Redis's FLUSHALL.
        if (context.Databases.ClearAll())
            context.RecordEffect(args);
        RespWriter.Ok(context.Reply);
    }

    /// <summary>The TYPE reply for a value type.</summary>
    public static string TypeName(ValueType type) => type switch
    {
        ValueType.String => "string",
        ValueType.Hash => "hash",
        ValueType.List => "list",
        ValueType.Set => "set",
        ValueType.ZSet => "zset",
        _ => "none",
    };

    /// <summary>Lazy expiry for keys met while walking (deleted after the walk, never during it).</summary>
    private static void ExpireNow(CommandContext context, List<KeyEntry> due)
    {
        if (context.DefersExpiryDeletes)
            return; // listed as gone, deleted later (see CommandContext.DefersExpiryDeletes)
        foreach (var entry in due)
        {
            context.Keyspace.Remove(entry);
            context.RecordEffect(ArgumentNames.Del, entry.Key);
        }
    }
}
