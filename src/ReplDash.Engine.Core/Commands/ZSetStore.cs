using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Writes the result of ZRANGESTORE, ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE: the destination is replaced
/// whatever it held (its expiry goes with it), or deleted when the result is empty. Replicated as
/// DEL destination (when it existed) then ZADD destination score member ..., so replicas hold exactly the
/// scores computed here.
/// </summary>
internal static class ZSetStore
{
    /// <summary>Past this size the effect could not fit one binlog item; the command is refused before it changes anything.</summary>
    private const long MaxEffectBytes = BinlogFormat.MaxItemBytes / 2;

    /// <summary>Replaces <paramref name="destination"/> with <paramref name="members"/> (distinct) and replies with their count.</summary>
    public static void Replace(CommandContext context, byte[] destination, IReadOnlyList<(byte[] Member, double Score)> members)
    {
        long bytes = 0;
        foreach (var (member, _) in members)
            bytes += member.Length + 40;
        if (bytes > MaxEffectBytes)
        {
            RespWriter.Error(context.Reply, $"ERR the result is too large to store and replicate (over {MaxEffectBytes} bytes)");
            return;
        }
        var existing = context.Keyspace.Lookup(context, destination);
        if (existing is not null)
        {
            context.Keyspace.Remove(existing);
            context.RecordEffect(ArgumentNames.Del, destination);
        }
        if (members.Count == 0)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var set = new ZSet();
        foreach (var (member, score) in members)
            set.Set(member, score);
        context.Keyspace.Create(destination, ValueType.ZSet, set);
        context.RecordEffect(ZSetReplies.ZAddEffect(destination, members));
        RespWriter.Integer(context.Reply, set.Count);
    }
}
