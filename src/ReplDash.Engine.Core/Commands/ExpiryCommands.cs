using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, PERSIST.</summary>
internal static class ExpiryCommands
{
    public static void Expire(CommandContext context, byte[][] args) =>
        SetExpiry(context, args, "expire", seconds: true, relative: true);

    public static void PExpire(CommandContext context, byte[][] args) =>
        SetExpiry(context, args, "pexpire", seconds: false, relative: true);

    public static void ExpireAt(CommandContext context, byte[][] args) =>
        SetExpiry(context, args, "expireat", seconds: true, relative: false);

    public static void PExpireAt(CommandContext context, byte[][] args) =>
        SetExpiry(context, args, "pexpireat", seconds: false, relative: false);

    public static void Ttl(CommandContext context, byte[][] args) => RemainingTime(context, args, inSeconds: true);

    public static void PTtl(CommandContext context, byte[][] args) => RemainingTime(context, args, inSeconds: false);

    public static void Persist(CommandContext context, byte[][] args)
    {
        var entry = context.Keyspace.Lookup(context, args[1]);
        if (entry is null || entry.ExpireAtMs == 0)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        context.Keyspace.SetExpiry(entry, 0);
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, 1);
    }

    private static void SetExpiry(CommandContext context, byte[][] args, string name, bool seconds, bool relative)
    {
        if (!ExpireCondition.TryParse(context, args, out var condition))
            return;
        if (!IntegerText.TryParse(args[2], out long amount))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (!ExpiryMath.TryToAbsoluteMs(amount, seconds, relative ? context.ClockForDisplayMs : 0, out long atMs))
        {
            RespWriter.Error(context.Reply, CommandErrors.InvalidExpireTime(name));
            return;
        }
        var store = context.Keyspace;
        var entry = store.Lookup(context, args[1]);
        if (entry is null || !condition.Allows(entry.ExpireAtMs, atMs))
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        if (context.NowMs is long now && atMs <= now)
        {
            // Already past on the master: delete now, and tell replicas with a plain DEL.
            store.Remove(entry);
            context.RecordEffect(ArgumentNames.Del, entry.Key);
        }
        else
        {
            // While applying, a past time is stored as is: only the master's DEL removes the key.
            long stored = Math.Max(1, atMs);
            store.SetExpiry(entry, stored);
            context.RecordEffect(ArgumentNames.PexpireAt, entry.Key, IntegerText.Format(stored));
        }
        RespWriter.Integer(context.Reply, 1);
    }

    private static void RemainingTime(CommandContext context, byte[][] args, bool inSeconds)
    {
        var entry = context.Keyspace.Lookup(context, args[1]);
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, -2);
            return;
        }
        if (entry.ExpireAtMs == 0)
        {
            RespWriter.Integer(context.Reply, -1);
            return;
        }
        // On a replica the key may be past its time on the read clock yet still present (only the
        // master's DEL removes it): show 0 rather than a negative time.
        long remainingMs = Math.Max(0, entry.ExpireAtMs - context.ClockForDisplayMs);
        RespWriter.Integer(context.Reply, inSeconds ? (remainingMs + 500) / 1000 : remainingMs);
    }
}
