using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>The parsed options of SET: condition (NX/XX), GET, and the expiry made absolute.</summary>
internal readonly record struct SetOptions(bool OnlyIfAbsent, bool OnlyIfPresent, bool Get, bool KeepTtl, long? ExpireAtMs)
{
    /// <summary>Parses <c>SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]</c>; writes the error reply and returns false when invalid.</summary>
    public static bool TryParse(CommandContext context, byte[][] args, out SetOptions options)
    {
        options = default;
        bool nx = false, xx = false, get = false, keepTtl = false;
        byte[]? expireWord = null, expireValue = null;
        for (int i = 3; i < args.Length; i++)
        {
            var a = args[i];
            bool hasNext = i + 1 < args.Length;
            if (ArgumentNames.Is(a, "NX"u8) && !xx)
                nx = true;
            else if (ArgumentNames.Is(a, "XX"u8) && !nx)
                xx = true;
            else if (ArgumentNames.Is(a, "GET"u8))
                get = true;
            else if (ArgumentNames.Is(a, "KEEPTTL"u8) && expireWord is null)
                keepTtl = true;
            else if ((ArgumentNames.Is(a, "EX"u8) || ArgumentNames.Is(a, "PX"u8) || ArgumentNames.Is(a, "EXAT"u8)
                         || ArgumentNames.Is(a, "PXAT"u8)) && !keepTtl && expireWord is null && hasNext)
            {
                expireWord = a;
                expireValue = args[++i];
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return false;
            }
        }

        long? expireAtMs = null;
        if (expireWord is not null)
        {
            if (!IntegerText.TryParse(expireValue!, out long amount))
            {
                RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                return false;
            }
            bool seconds = ArgumentNames.Is(expireWord, "EX"u8) || ArgumentNames.Is(expireWord, "EXAT"u8);
            bool relative = ArgumentNames.Is(expireWord, "EX"u8) || ArgumentNames.Is(expireWord, "PX"u8);
            if (!ExpiryMath.TryToAbsoluteMs(amount, seconds, relative ? context.ClockForDisplayMs : 0, out long at)
                || amount <= 0)
            {
                RespWriter.Error(context.Reply, CommandErrors.InvalidExpireTime("set"));
                return false;
            }
            expireAtMs = at;
        }
        options = new SetOptions(nx, xx, get, keepTtl, expireAtMs);
        return true;
    }
}
