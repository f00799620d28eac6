using System.Buffers;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Replies and effects shared by the sorted-set commands.</summary>
internal static class ZSetReplies
{
    public const string NotFloat = "ERR value is not a valid float";
    public const string NaNResult = "ERR resulting score is not a number (NaN)";

    public static readonly byte[] ZAdd = "ZADD"u8.ToArray();
    public static readonly byte[] ZRem = "ZREM"u8.ToArray();

    /// <summary>
    /// A score as Redis 7.0 sends it: a bulk string in RESP2, a RESP3 double (<c>,1.5</c>) after HELLO 3; both with
    /// the <c>%.17g</c> text of <see cref="ScoreText.Format"/>.
    /// </summary>
    public static void Score(IBufferWriter<byte> reply, double score)
    {
        var text = ScoreText.Format(score);
        if (!RespWriter.IsResp3(reply))
        {
            RespWriter.Bulk(reply, text);
            return;
        }
        reply.Write(","u8);
        reply.Write(text);
        reply.Write("\r\n"u8);
    }

    /// <summary>
    /// Members, each followed by its score when <paramref name="withScores"/>. RESP2 gets one flat array; RESP3 gets
    /// an array of [member, score] pairs (Redis 7.0's ZRANGE, ZUNION, ZRANDMEMBER... WITHSCORES), unless
    /// <paramref name="flatInResp3"/> (ZPOPMIN/ZPOPMAX without a count answer one flat pair in both).
    /// </summary>
    public static void Members(IBufferWriter<byte> reply, IReadOnlyList<(byte[] Member, double Score)> members, bool withScores,
        bool flatInResp3 = false)
    {
        bool pairs = withScores && !flatInResp3 && RespWriter.IsResp3(reply);
        RespWriter.ArrayHeader(reply, withScores && !pairs ? members.Count * 2 : members.Count);
        foreach (var (member, score) in members)
        {
            if (pairs)
                RespWriter.ArrayHeader(reply, 2);
            RespWriter.Bulk(reply, member);
            if (withScores)
                Score(reply, score);
        }
    }

    /// <summary>The deterministic form of score changes: ZADD key score member ... with the resulting scores.</summary>
    public static byte[][] ZAddEffect(byte[] key, IReadOnlyList<(byte[] Member, double Score)> pairs)
    {
        var effect = new byte[2 + pairs.Count * 2][];
        effect[0] = ZAdd;
        effect[1] = key;
        for (int i = 0; i < pairs.Count; i++)
        {
            effect[2 + 2 * i] = ScoreText.Format(pairs[i].Score);
            effect[3 + 2 * i] = pairs[i].Member;
        }
        return effect;
    }

    /// <summary>The deterministic form of removals: ZREM key member ...</summary>
    public static byte[][] ZRemEffect(byte[] key, IReadOnlyList<(byte[] Member, double Score)> removed)
    {
        var effect = new byte[2 + removed.Count][];
        effect[0] = ZRem;
        effect[1] = key;
        for (int i = 0; i < removed.Count; i++)
            effect[2 + i] = removed[i].Member;
        return effect;
    }

    /// <summary>Parses a rank or LIMIT argument (a 64-bit integer); writes Redis's error and returns false otherwise.</summary>
    public static bool TryParseLong(CommandContext context, byte[] argument, out long value)
    {
        if (IntegerText.TryParse(argument, out value))
            return true;
        RespWriter.Error(context.Reply, CommandErrors.NotInteger);
        return false;
    }

    /// <summary>Removes the given members of a present sorted set, deletes the key when empty, and records ZREM.</summary>
    public static void RemoveMembers(CommandContext context, KeyEntry entry, IReadOnlyList<(byte[] Member, double Score)> members)
    {
        if (members.Count == 0)
            return;
        var set = entry.ZSetValue;
        foreach (var (member, _) in members)
            set.Remove(member);
        context.Keyspace.TouchOrRemoveIfEmpty(entry, set.Count);
        context.RecordEffect(ZRemEffect(entry.Key, members));
    }
}
