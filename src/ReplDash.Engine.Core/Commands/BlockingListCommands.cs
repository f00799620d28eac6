using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP. With data at hand each acts at once like its non-blocking form
/// (and is replicated as that form: LPOP, LMOVE...). Otherwise, where blocking is allowed, it sets
/// <see cref="CommandContext.Block"/> and writes nothing: the node keeps the client until a write makes one of
/// the keys a non-empty list, then serves it through <see cref="BlockingRequest.Serve"/>. Where blocking is not
/// allowed (inside MULTI) it answers as a timeout would.
/// </summary>
internal static class BlockingListCommands
{
    public static void BLPop(CommandContext context, byte[][] args) => BPop(context, args, fromLeft: true);

    public static void BRPop(CommandContext context, byte[][] args) => BPop(context, args, fromLeft: false);

    public static void BLMove(CommandContext context, byte[][] args)
    {
        if (!ListMoves.TryParseSide(context, args[3], out bool fromLeft) || !ListMoves.TryParseSide(context, args[4], out bool toLeft))
            return;
        if (!BlockTimeout.TryParse(context, args[5], out long timeoutMs))
            return;
        BMove(context, args[1], args[2], fromLeft, toLeft, timeoutMs, asRPopLPush: false);
    }

    public static void BRPopLPush(CommandContext context, byte[][] args)
    {
        if (!BlockTimeout.TryParse(context, args[3], out long timeoutMs))
            return;
        BMove(context, args[1], args[2], fromLeft: false, toLeft: true, timeoutMs, asRPopLPush: true);
    }

    public static void BLMPop(CommandContext context, byte[][] args)
    {
        if (!ListMoves.TryParseMultiPop(context, args, 2, out var parsed))
            return;
        if (!BlockTimeout.TryParse(context, args[1], out long timeoutMs))
            return;
        if (!ListMoves.TryFindFirstList(context, parsed.Keys, out var entry))
            return;
        if (entry is not null)
        {
            ListMoves.PopRangeWithKey(context, entry, parsed.FromLeft, parsed.Count);
            return;
        }
        BlockingRequest.BlockOrAnswerNull(context, parsed.Keys, timeoutMs, null, (served, ready) =>
        {
            if (ReadyList(served, ready) is not { } list)
                return false;
            ListMoves.PopRangeWithKey(served, list, parsed.FromLeft, parsed.Count);
            return true;
        });
    }

    private static void BPop(CommandContext context, byte[][] args, bool fromLeft)
    {
        if (!BlockTimeout.TryParse(context, args[^1], out long timeoutMs))
            return;
        var keys = args[1..^1];
        if (!ListMoves.TryFindFirstList(context, keys, out var entry))
            return;
        if (entry is not null)
        {
            ListMoves.PopOneWithKey(context, entry, fromLeft);
            return;
        }
        BlockingRequest.BlockOrAnswerNull(context, keys, timeoutMs, null, (served, ready) =>
        {
            if (ReadyList(served, ready) is not { } list)
                return false;
            ListMoves.PopOneWithKey(served, list, fromLeft);
            return true;
        });
    }

    private static void BMove(CommandContext context, byte[] sourceKey, byte[] destinationKey, bool fromLeft, bool toLeft, long timeoutMs, bool asRPopLPush)
    {
        if (!TypedLookup.TryGet(context, sourceKey, ValueType.List, out var source))
            return;
        if (source is not null)
        {
            ListMoves.TryMove(context, source, destinationKey, fromLeft, toLeft, asRPopLPush);
            return;
        }
        if (!context.BlockingAllowed)
        {
            RespWriter.NullBulk(context.Reply); // Redis answers a non-blocking BLMOVE with a null bulk, not an array
            return;
        }
        // A destination of the wrong type answers the served client with WRONGTYPE and leaves the source as it was.
        context.Block = new BlockingRequest([sourceKey], timeoutMs, destinationKey, (served, ready) =>
            ReadyList(served, ready) is { } list && (ListMoves.TryMove(served, list, destinationKey, fromLeft, toLeft, asRPopLPush) || true));
    }

    /// <summary>The key as a non-empty list, or null when it cannot serve (absent, expired, another type).</summary>
    private static KeyEntry? ReadyList(CommandContext context, byte[] key)
    {
        var entry = context.Keyspace.Lookup(context, key);
        return entry is { Type: ValueType.List } && entry.ListValue.Count > 0 ? entry : null;
    }
}
