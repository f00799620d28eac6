using System.Text;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Read-only key commands: EXPIRETIME, PEXPIRETIME, RANDOMKEY, TOUCH, OBJECT, MEMORY USAGE.</summary>
internal static class KeyInfoCommands
{
    private const int MaxRandomKeyTries = 100;

    /// <summary>EXPIRETIME key: the absolute expiry in Unix seconds, -1 without one, -2 when absent.</summary>
    public static void ExpireTime(CommandContext context, byte[][] args) => AbsoluteExpiry(context, args, milliseconds: false);

    /// <summary>PEXPIRETIME key: the absolute expiry in Unix milliseconds, -1 without one, -2 when absent.</summary>
    public static void PExpireTime(CommandContext context, byte[][] args) => AbsoluteExpiry(context, args, milliseconds: true);

    /// <summary>RANDOMKEY: a random key, or nil when there is none. On the master an expired pick is deleted and another tried.</summary>
    public static void RandomKey(CommandContext context, byte[][] args)
    {
        for (int attempt = 0; attempt < MaxRandomKeyTries; attempt++)
        {
            var key = context.Keyspace.RandomKey(context.Random);
            if (key is null)
                break;
            if (context.Keyspace.Lookup(context, key) is not null)
            {
                RespWriter.Bulk(context.Reply, key);
                return;
            }
        }
        RespWriter.NullBulk(context.Reply);
    }

    /// <summary>TOUCH key [key ...]: how many exist (their access time is updated).</summary>
    public static void Touch(CommandContext context, byte[][] args)
    {
        long found = 0;
        for (int i = 1; i < args.Length; i++)
        {
            if (context.Keyspace.Lookup(context, args[i]) is not null)
                found++;
        }
        RespWriter.Integer(context.Reply, found);
    }

    /// <summary>OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ key, and OBJECT HELP.</summary>
    public static void Object(CommandContext context, byte[][] args)
    {
        var sub = Encoding.UTF8.GetString(args[1]);
        bool known = sub.ToUpperInvariant() is "ENCODING" or "REFCOUNT" or "IDLETIME" or "FREQ" or "HELP";
        if (!known)
        {
            RespWriter.Error(context.Reply, $"ERR unknown subcommand '{Printable(sub)}'. Try OBJECT HELP.");
            return;
        }
        bool help = ArgumentNames.Is(args[1], "HELP"u8);
        if (args.Length != (help ? 2 : 3))
        {
            RespWriter.Error(context.Reply, $"ERR wrong number of arguments for 'object|{sub.ToLowerInvariant()}' command");
            return;
        }
        if (help)
        {
            WriteLines(context, ObjectHelp);
            return;
        }
        // Like Redis's OBJECT: no access-time update, but an expired key is absent.
        var entry = context.Keyspace.Peek(args[2]);
        if (entry is null || KeyspaceStore.IsDue(entry, context.NowMs))
        {
            RespWriter.NullBulk(context.Reply);
            return;
        }
        switch (sub.ToUpperInvariant())
        {
            case "ENCODING":
                RespWriter.BulkText(context.Reply, EncodingOf(entry));
                break;
            case "REFCOUNT":
                // Redis shares the integers 0 to 9999 (reported as INT_MAX); every other value has one reference.
                RespWriter.Integer(context.Reply, IsSharedInteger(entry) ? int.MaxValue : 1);
                break;
            case "IDLETIME":
                long idleMs = entry.LastAccessMs == 0 ? 0 : Math.Max(0, context.ClockForDisplayMs - entry.LastAccessMs);
                RespWriter.Integer(context.Reply, idleMs / 1000);
                break;
            default:
                RespWriter.Error(context.Reply, "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
                break;
        }
    }

    /// <summary>MEMORY USAGE key [SAMPLES n]: this engine's estimate of the key's bytes in memory; MEMORY HELP.</summary>
    public static void Memory(CommandContext context, byte[][] args)
    {
        if (ArgumentNames.Is(args[1], "HELP"u8) && args.Length == 2)
        {
            WriteLines(context, MemoryHelp);
            return;
        }
        if (!ArgumentNames.Is(args[1], "USAGE"u8))
        {
            // DOCTOR, STATS, MALLOC-STATS and PURGE describe Redis's allocator: there is none of that here.
            RespWriter.Error(context.Reply, $"ERR unknown subcommand '{Printable(Encoding.UTF8.GetString(args[1]))}'. Try MEMORY HELP.");
            return;
        }
        if (args.Length < 3)
        {
            RespWriter.Error(context.Reply, "ERR wrong number of arguments for 'memory|usage' command");
            return;
        }
        for (int i = 3; i < args.Length; i++)
        {
            if (ArgumentNames.Is(args[i], "SAMPLES"u8) && i + 1 < args.Length)
            {
                if (!IntegerText.TryParse(args[++i], out long samples))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return;
                }
                if (samples < 0)
                {
                    RespWriter.Error(context.Reply, CommandErrors.Syntax);
                    return;
                }
                // Every element is counted: the estimate needs no sampling.
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        var entry = context.Keyspace.Lookup(context, args[2]);
        if (entry is null)
            RespWriter.NullBulk(context.Reply);
        else
            RespWriter.Integer(context.Reply, MemoryEstimate.Bytes(entry));
    }

    private static void AbsoluteExpiry(CommandContext context, byte[][] args, bool milliseconds)
    {
        var entry = context.Keyspace.Lookup(context, args[1]);
        if (entry is null)
            RespWriter.Integer(context.Reply, -2);
        else if (entry.ExpireAtMs == 0)
            RespWriter.Integer(context.Reply, -1);
        else
            RespWriter.Integer(context.Reply, milliseconds ? entry.ExpireAtMs : (entry.ExpireAtMs + 500) / 1000);
    }

    /// <summary>The encoding Redis 7.0 would report with its default thresholds.</summary>
    private static string EncodingOf(KeyEntry entry)
    {
        switch (entry.Type)
        {
            case ValueType.String:
                var value = entry.StringValue;
                if (entry.RawEncoding)
                    return "raw";
                if (value.Length <= 20 && IntegerText.TryParse(value, out _))
                    return "int";
                return value.Length <= 44 ? "embstr" : "raw";
            case ValueType.Hash:
                var hash = entry.HashValue;
                if (hash.Count > 128)
                    return "hashtable";
                foreach (var (field, fieldValue) in hash)
                    if (field.Length > 64 || fieldValue.Length > 64)
                        return "hashtable";
                return "listpack";
            case ValueType.List:
                return "quicklist";
            case ValueType.Set:
                var set = entry.SetValue;
                if (set.Count > 512)
                    return "hashtable";
                for (int i = 0; i < set.Count; i++)
                    if (!IntegerText.TryParse(set.MemberAt(i), out _))
                        return "hashtable";
                return "intset";
            default:
                return "raw";
        }
    }

    private static bool IsSharedInteger(KeyEntry entry) =>
        entry.Type == ValueType.String && entry.StringValue.Length <= 4 && IntegerText.TryParse(entry.StringValue, out long n) && n is >= 0 and < 10000;

    private static void WriteLines(CommandContext context, string[] lines)
    {
        RespWriter.ArrayHeader(context.Reply, lines.Length);
        foreach (var line in lines)
            RespWriter.SimpleString(context.Reply, line);
    }

    private static string Printable(string text) => new(text.Take(128).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static readonly string[] ObjectHelp =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];

    private static readonly string[] MemoryHelp =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value (this engine's estimate).",
        "HELP",
        "    Prints this help.",
    ];
}
