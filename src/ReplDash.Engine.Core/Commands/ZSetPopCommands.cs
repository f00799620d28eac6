using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// ZPOPMIN, ZPOPMAX, ZMPOP and the non-blocking form of BZPOPMIN, BZPOPMAX and BZMPOP (what MULTI runs, and what a
/// blocked client's command runs when a key becomes ready). All replicate as ZREM of the members popped.
/// </summary>
internal static class ZSetPopCommands
{
    public static void ZPopMin(CommandContext context, byte[][] args) => Pop(context, args, max: false);

    public static void ZPopMax(CommandContext context, byte[][] args) => Pop(context, args, max: true);

    public static void BZPopMin(CommandContext context, byte[][] args) => BlockingPop(context, args, max: false);

    public static void BZPopMax(CommandContext context, byte[][] args) => BlockingPop(context, args, max: true);

    public static void ZMPop(CommandContext context, byte[][] args) => MultiPop(context, args, numKeysIndex: 1, blocking: false);

    public static void BZMPop(CommandContext context, byte[][] args) => MultiPop(context, args, numKeysIndex: 2, blocking: true);

    /// <summary>The keys of a BZMPOP call (after a valid numkeys; none otherwise), for its <see cref="KeyWaitRule"/>.</summary>
    internal static IReadOnlyList<byte[]> BZMPopKeys(byte[][] args) =>
        IntegerText.TryParse(args[2], out long count) && count > 0 && count <= args.Length - 3 ? args[3..(3 + (int)count)] : [];

    /// <summary>
    /// ZMPOP numkeys key ... MIN|MAX [COUNT n] (BZMPOP has the timeout first): pops from the first key that holds
    /// members and answers [key, [[member, score] ...]], or a null array when none does.
    /// </summary>
    private static void MultiPop(CommandContext context, byte[][] args, int numKeysIndex, bool blocking)
    {
        if (!IntegerText.TryParse(args[numKeysIndex], out long keys) || keys < 1)
        {
            RespWriter.Error(context.Reply, "ERR numkeys should be greater than 0");
            return;
        }
        if (keys >= args.Length || numKeysIndex + keys + 1 >= args.Length)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        int whereIndex = numKeysIndex + (int)keys + 1;
        bool max;
        if (ArgumentNames.Is(args[whereIndex], "MIN"u8))
            max = false;
        else if (ArgumentNames.Is(args[whereIndex], "MAX"u8))
            max = true;
        else
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        long count = -1;
        for (int j = whereIndex + 1; j < args.Length; j++)
        {
            bool more = j < args.Length - 1;
            if (count == -1 && more && ArgumentNames.Is(args[j], "COUNT"u8))
            {
                j++;
                if (!IntegerText.TryParse(args[j], out count) || count < 1)
                {
                    RespWriter.Error(context.Reply, "ERR count should be greater than 0");
                    return;
                }
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (count == -1)
            count = 1;
        if (blocking && !KeyWaitTimeout.TryParse(context, args[1], out _))
            return;
        for (int i = numKeysIndex + 1; i < whereIndex; i++)
        {
            if (!TypedLookup.TryGet(context, args[i], ValueType.ZSet, out var entry))
                return;
            if (entry is null)
                continue;
            var popped = Take(entry.ZSetValue, count, max);
            ZSetReplies.RemoveMembers(context, entry, popped);
            RespWriter.ArrayHeader(context.Reply, 2);
            RespWriter.Bulk(context.Reply, entry.Key);
            RespWriter.ArrayHeader(context.Reply, popped.Count);
            foreach (var (member, score) in popped)
            {
                RespWriter.ArrayHeader(context.Reply, 2);
                RespWriter.Bulk(context.Reply, member);
                ZSetReplies.Score(context.Reply, score);
            }
            return;
        }
        RespWriter.NullArray(context.Reply);
    }

    private static void Pop(CommandContext context, byte[][] args, bool max)
    {
        if (args.Length > 3)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        long count = 1;
        if (args.Length == 3 && !CountArgument.TryParse(context, args[2], out count))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out var entry))
            return;
        if (entry is null || count == 0)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        var popped = Take(entry.ZSetValue, count, max);
        ZSetReplies.RemoveMembers(context, entry, popped);
        // Without a count Redis answers one flat [member, score] even in RESP3; with one, RESP3 gets pairs.
        ZSetReplies.Members(context.Reply, popped, withScores: true, flatInResp3: args.Length == 2);
    }

    /// <summary>
    /// Pops one member from the first of the keys (all but the last argument) that holds one and answers
    /// [key, member, score]; answers a null array when none does. A blocked client waits on that null.
    /// </summary>
    private static void BlockingPop(CommandContext context, byte[][] args, bool max)
    {
        if (!KeyWaitTimeout.TryParse(context, args[^1], out _))
            return;
        for (int i = 1; i < args.Length - 1; i++)
        {
            if (!TypedLookup.TryGet(context, args[i], ValueType.ZSet, out var entry))
                return;
            if (entry is null)
                continue;
            var popped = Take(entry.ZSetValue, 1, max);
            ZSetReplies.RemoveMembers(context, entry, popped);
            RespWriter.ArrayHeader(context.Reply, 3);
            RespWriter.Bulk(context.Reply, entry.Key);
            RespWriter.Bulk(context.Reply, popped[0].Member);
            ZSetReplies.Score(context.Reply, popped[0].Score);
            return;
        }
        RespWriter.NullArray(context.Reply);
    }

    private static List<(byte[] Member, double Score)> Take(ZSet set, long count, bool max)
    {
        long taken = Math.Min(count, set.Count);
        return set.Walk(max ? set.Count - 1 : 0, taken, reverse: max).ToList();
    }
}

/// <summary>The timeout of a blocking command: seconds as a float, 0 meaning no limit (Redis's getTimeoutFromObjectOrReply).</summary>
public static class KeyWaitTimeout
{
    // Beyond this (about 292 million years) a timeout is treated as out of range rather than overflowing.
    private const double MaxSeconds = long.MaxValue / 1000.0 / 2;
    private static readonly double MaxTimeSpanMs = TimeSpan.MaxValue.TotalMilliseconds;

    /// <summary>Parses the timeout; writes Redis's error and returns false when invalid. Null means wait forever.</summary>
    internal static bool TryParse(CommandContext context, byte[] argument, out TimeSpan? timeout)
    {
        if (TryParse(argument, out timeout, out string? error))
            return true;
        RespWriter.Error(context.Reply, error!);
        return false;
    }

    /// <summary>Parses the timeout; false with Redis's error text when invalid. Null means wait forever.</summary>
    public static bool TryParse(byte[] argument, out TimeSpan? timeout, out string? error)
    {
        timeout = null;
        error = null;
        if (!ScoreText.TryParse(argument, out double seconds))
        {
            error = "ERR timeout is not a float or out of range";
            return false;
        }
        if (seconds < 0)
        {
            error = "ERR timeout is negative";
            return false;
        }
        if (seconds > MaxSeconds)
        {
            error = "ERR timeout is out of range";
            return false;
        }
        double ms = Math.Ceiling(seconds * 1000.0);
        if (ms > 0)
            timeout = ms >= MaxTimeSpanMs ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
