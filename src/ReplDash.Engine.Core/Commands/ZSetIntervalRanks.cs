using System.Diagnostics.CodeAnalysis;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// The common start of ZCOUNT, ZLEXCOUNT, ZREMRANGEBYSCORE and ZREMRANGEBYLEX (<c>CMD key min max</c>): parse the
/// interval (before the key is looked at, as Redis does), look the sorted set up, and find the ranks inside it.
/// </summary>
internal static class ZSetIntervalRanks
{
    /// <summary>
    /// The ranks [<paramref name="start"/>, <paramref name="end"/>) of the members of the sorted set <c>args[1]</c>
    /// inside the interval <c>args[2]</c>..<c>args[3]</c>, by member when <paramref name="byLex"/>, else by score.
    /// False when the reply is already written: the interval's parse error, WRONGTYPE, or 0 for a missing key.
    /// </summary>
    public static bool TryFind(CommandContext context, byte[][] args, bool byLex, [NotNullWhen(true)] out KeyEntry? entry,
        out int start, out int end)
    {
        entry = null;
        start = end = 0;
        ScoreRange scores = default;
        LexRange members = default;
        if (byLex ? !LexRange.TryParse(args[2], args[3], out members) : !ScoreRange.TryParse(args[2], args[3], out scores))
        {
            RespWriter.Error(context.Reply, byLex ? LexRange.ParseError : ScoreRange.ParseError);
            return false;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.ZSet, out entry))
            return false;
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return false;
        }
        (start, end) = byLex ? members.Ranks(entry.ZSetValue) : scores.Ranks(entry.ZSetValue);
        return true;
    }
}
