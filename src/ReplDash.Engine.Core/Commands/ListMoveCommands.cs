using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>RPOPLPUSH, LMOVE and LMPOP: pops that move an element or take from the first non-empty list.</summary>
internal static class ListMoveCommands
{
    public static void RPopLPush(CommandContext context, byte[][] args) =>
        Move(context, args[1], args[2], fromLeft: false, toLeft: true, asRPopLPush: true);

    public static void LMove(CommandContext context, byte[][] args)
    {
        if (!ListMoves.TryParseSide(context, args[3], out bool fromLeft) || !ListMoves.TryParseSide(context, args[4], out bool toLeft))
            return;
        Move(context, args[1], args[2], fromLeft, toLeft, asRPopLPush: false);
    }

    public static void LMPop(CommandContext context, byte[][] args)
    {
        if (!ListMoves.TryParseMultiPop(context, args, 1, out var parsed))
            return;
        if (!ListMoves.TryFindFirstList(context, parsed.Keys, out var entry))
            return;
        if (entry is null)
            RespWriter.NullArray(context.Reply);
        else
            ListMoves.PopRangeWithKey(context, entry, parsed.FromLeft, parsed.Count);
    }

    private static void Move(CommandContext context, byte[] sourceKey, byte[] destinationKey, bool fromLeft, bool toLeft, bool asRPopLPush)
    {
        if (!TypedLookup.TryGet(context, sourceKey, ValueType.List, out var source))
            return;
        if (source is null)
        {
            RespWriter.NullBulk(context.Reply);
            return;
        }
        ListMoves.TryMove(context, source, destinationKey, fromLeft, toLeft, asRPopLPush);
    }
}
