using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// DUMP and RESTORE with Redis 7.0's options, replies and errors, over <see cref="DumpPayload"/>. RESTORE is replicated
/// as its effect: <c>DEL key</c> when REPLACE removed a value, then <c>RESTORE key 0 payload REPLACE</c> and, with a
/// TTL, <c>PEXPIREAT key</c> at the absolute time the master computed (the payload is read the same way everywhere).
/// </summary>
internal static class DumpRestoreCommands
{
    private static readonly byte[] RestoreName = "RESTORE"u8.ToArray();
    private static readonly byte[] Zero = "0"u8.ToArray();

    public static void Dump(CommandContext context, byte[][] args)
    {
        var entry = context.Keyspace.Lookup(context, args[1]);
        if (entry is null)
            RespWriter.NullBulk(context.Reply);
        else
            RespWriter.Bulk(context.Reply, DumpPayload.Encode(entry));
    }

    /// <summary>RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency].</summary>
    public static void Restore(CommandContext context, byte[][] args)
    {
        bool replace = false, absoluteTtl = false, idleGiven = false, freqGiven = false;
        for (int j = 4; j < args.Length; j++)
        {
            bool more = j + 1 < args.Length;
            if (ArgumentNames.Is(args[j], "REPLACE"u8))
                replace = true;
            else if (ArgumentNames.Is(args[j], "ABSTTL"u8))
                absoluteTtl = true;
            else if (ArgumentNames.Is(args[j], "IDLETIME"u8) && more && !freqGiven)
            {
                if (!TryParseOption(context, args[++j], "ERR Invalid IDLETIME value, must be >= 0", long.MaxValue))
                    return;
                idleGiven = true; // accepted; this server keeps no LRU clock to set
            }
            else if (ArgumentNames.Is(args[j], "FREQ"u8) && more && !idleGiven)
            {
                if (!TryParseOption(context, args[++j], "ERR Invalid FREQ value, must be >= 0 and <= 255", 255))
                    return;
                freqGiven = true; // accepted; there is no LFU policy here
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        var key = args[1];
        var existing = context.Keyspace.Lookup(context, key);
        if (existing is not null && !replace)
        {
            RespWriter.Error(context.Reply, "BUSYKEY Target key name already exists.");
            return;
        }
        if (!IntegerText.TryParse(args[2], out long ttl))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (ttl < 0)
        {
            RespWriter.Error(context.Reply, "ERR Invalid TTL value, must be >= 0");
            return;
        }
        if (!DumpPayload.HasValidFooter(args[3]))
        {
            RespWriter.Error(context.Reply, "ERR DUMP payload version or checksum are wrong");
            return;
        }
        if (!DumpPayload.TryDecode(args[3], out var type, out var value))
        {
            RespWriter.Error(context.Reply, "ERR Bad data format");
            return;
        }
        if (existing is not null)
        {
            context.Keyspace.Remove(existing);
            context.RecordEffect(ArgumentNames.Del, key);
        }
        long expireAtMs = ttl == 0 ? 0 : absoluteTtl ? ttl : context.ClockForDisplayMs + ttl;
        // A TTL already past: nothing is created (a replaced value is gone), as in Redis. Never while applying.
        if (expireAtMs != 0 && Keyspace.KeyspaceStore.IsDue(expireAtMs, context.NowMs))
        {
            RespWriter.Ok(context.Reply);
            return;
        }
        var entry = context.Keyspace.Create(key, type, value);
        context.RecordEffect(RestoreName, key, Zero, args[3], ArgumentNames.Replace);
        if (expireAtMs != 0)
        {
            context.Keyspace.SetExpiry(entry, expireAtMs);
            context.RecordEffect(ArgumentNames.PexpireAt, key, IntegerText.Format(expireAtMs));
        }
        RespWriter.Ok(context.Reply);
    }

    private static bool TryParseOption(CommandContext context, byte[] argument, string rangeError, long max)
    {
        if (!IntegerText.TryParse(argument, out long value))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return false;
        }
        if (value < 0 || value > max)
        {
            RespWriter.Error(context.Reply, rangeError);
            return false;
        }
        return true;
    }
}
