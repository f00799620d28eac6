using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>The NX / XX / GT / LT options of the EXPIRE family (Redis 7).</summary>
internal readonly record struct ExpireCondition(bool Nx, bool Xx, bool Gt, bool Lt)
{
    /// <summary>Parses the options after the time; writes Redis's error and returns false when invalid.</summary>
    public static bool TryParse(CommandContext context, byte[][] args, out ExpireCondition condition)
    {
        condition = default;
        bool nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < args.Length; i++)
        {
            var a = args[i];
            if (ArgumentNames.Is(a, "NX"u8))
                nx = true;
            else if (ArgumentNames.Is(a, "XX"u8))
                xx = true;
            else if (ArgumentNames.Is(a, "GT"u8))
                gt = true;
            else if (ArgumentNames.Is(a, "LT"u8))
                lt = true;
            else
            {
                RespWriter.Error(context.Reply, $"ERR Unsupported option {System.Text.Encoding.UTF8.GetString(a)}");
                return false;
            }
        }
        if (nx && (xx || gt || lt))
        {
            RespWriter.Error(context.Reply, "ERR NX and XX, GT or LT options at the same time are not compatible");
            return false;
        }
        if (gt && lt)
        {
            RespWriter.Error(context.Reply, "ERR GT and LT options at the same time are not compatible");
            return false;
        }
        condition = new ExpireCondition(nx, xx, gt, lt);
        return true;
    }

    /// <summary>True when the new expiry may be set given the current one (0 = none, which counts as infinite).</summary>
    public bool Allows(long currentAtMs, long newAtMs)
    {
        bool hasExpiry = currentAtMs != 0;
        if (Nx && hasExpiry)
            return false;
        if (Xx && !hasExpiry)
            return false;
        if (Gt && (!hasExpiry || newAtMs <= currentAtMs))
            return false;
        if (Lt && hasExpiry && newAtMs >= currentAtMs)
            return false;
        return true;
    }
}
