using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>HRANDFIELD and HSCAN: reads that pick or walk fields (the random choice changes nothing, so no effect).</summary>
internal static class HashRandomCommands
{
    public static void HRandField(CommandContext context, byte[][] args)
    {
        if (args.Length == 2)
        {
            if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var single))
                return;
            if (single is null)
                RespWriter.NullBulk(context.Reply);
            else
                RespWriter.Bulk(context.Reply, RandomPicks.One(context.Random, single.HashValue.Keys));
            return;
        }
        if (!RandomPicks.TryParseCount(context, args[2], out long count))
            return;
        bool withValues = false;
        if (args.Length > 4 || (args.Length == 4 && !ArgumentNames.Is(args[3], "WITHVALUES"u8)))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        if (args.Length == 4)
        {
            withValues = true;
            if (count < -long.MaxValue / 2 || count > long.MaxValue / 2)
            {
                RespWriter.Error(context.Reply, "ERR value is out of range");
                return;
            }
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        if (entry is null || count == 0)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        if (!RandomPicks.FitsReply(context, count, withValues ? 2 : 1))
            return;
        var fields = entry.HashValue.ToArray();
        var picked = RandomPicks.Indexes(context.Random, fields.Length, count);
        // RESP2: one flat array; RESP3 WITHVALUES: an array of [field, value] pairs (Redis 7.0's shape).
        bool pairs = withValues && RespWriter.IsResp3(context.Reply);
        RespWriter.ArrayHeader(context.Reply, picked.Count * (withValues && !pairs ? 2 : 1));
        foreach (int i in picked)
        {
            if (pairs)
                RespWriter.ArrayHeader(context.Reply, 2);
            RespWriter.Bulk(context.Reply, fields[i].Key);
            if (withValues)
                RespWriter.Bulk(context.Reply, fields[i].Value);
        }
    }

    public static void HScan(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParseUnsigned(args[2], out ulong cursor))
        {
            RespWriter.Error(context.Reply, CommandErrors.InvalidCursor);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Hash, out var entry))
            return;
        if (!CollectionScan.TryParseOptions(context, args, 3, out var pattern, out long count))
            return;
        var found = new List<KeyValuePair<byte[], byte[]>>();
        ulong next = entry is null ? 0 : CollectionScan.Step(entry.HashValue, pair => pair.Key, cursor, count, found);
        found.RemoveAll(pair => !CollectionScan.Matches(pattern, pair.Key));
        CollectionScan.WriteReply(context, next, found, 2, pair =>
        {
            RespWriter.Bulk(context.Reply, pair.Key);
            RespWriter.Bulk(context.Reply, pair.Value);
        });
    }
}
