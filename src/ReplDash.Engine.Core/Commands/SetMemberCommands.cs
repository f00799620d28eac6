using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>SISMEMBER, SMISMEMBER, SRANDMEMBER, SMOVE and SSCAN.</summary>
internal static class SetMemberCommands
{
    public static void SIsMember(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry is not null && entry.SetValue.Contains(args[2]) ? 1 : 0);
    }

    public static void SMIsMember(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        RespWriter.ArrayHeader(context.Reply, args.Length - 2);
        for (int i = 2; i < args.Length; i++)
            RespWriter.Integer(context.Reply, entry is not null && entry.SetValue.Contains(args[i]) ? 1 : 0);
    }

    public static void SRandMember(CommandContext context, byte[][] args)
    {
        if (args.Length > 3)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        if (args.Length == 2)
        {
            if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var single))
                return;
            if (single is null)
                RespWriter.NullBulk(context.Reply);
            else
                RespWriter.Bulk(context.Reply, single.SetValue.MemberAt(context.Random.Next(single.SetValue.Count)));
            return;
        }
        if (!RandomPicks.TryParseCount(context, args[2], out long count))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        if (entry is null || count == 0)
        {
            RespWriter.ArrayHeader(context.Reply, 0);
            return;
        }
        if (!RandomPicks.FitsReply(context, count, 1))
            return;
        var set = entry.SetValue;
        var picked = RandomPicks.Indexes(context.Random, set.Count, count);
        RespWriter.ArrayHeader(context.Reply, picked.Count);
        foreach (int i in picked)
            RespWriter.Bulk(context.Reply, set.MemberAt(i));
    }

    public static void SMove(CommandContext context, byte[][] args)
    {
        var source = context.Keyspace.Lookup(context, args[1]);
        var destination = context.Keyspace.Lookup(context, args[2]);
        if (source is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        if (source.Type != ValueType.Set || (destination is not null && destination.Type != ValueType.Set))
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongType);
            return;
        }
        if (ReferenceEquals(source, destination))
        {
            RespWriter.Integer(context.Reply, source.SetValue.Contains(args[3]) ? 1 : 0);
            return;
        }
        if (!source.SetValue.Remove(args[3]))
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        context.Keyspace.TouchOrRemoveIfEmpty(source, source.SetValue.Count);
        destination ??= context.Keyspace.Create(args[2], ValueType.Set, new MemberSet());
        // As Redis: the destination counts as modified only when the member was new there.
        if (destination.SetValue.Add(args[3]))
            context.Keyspace.Touch(destination);
        context.RecordEffect(args); // deterministic: the same member moves on the replica
        RespWriter.Integer(context.Reply, 1);
    }

    public static void SScan(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParseUnsigned(args[2], out ulong cursor))
        {
            RespWriter.Error(context.Reply, CommandErrors.InvalidCursor);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        if (!CollectionScan.TryParseOptions(context, args, 3, out var pattern, out long count))
            return;
        var found = new List<byte[]>();
        ulong next = entry is null ? 0 : CollectionScan.Step(entry.SetValue.Members, member => member, cursor, count, found);
        found.RemoveAll(member => !CollectionScan.Matches(pattern, member));
        CollectionScan.WriteReply(context, next, found, 1, member => RespWriter.Bulk(context.Reply, member));
    }
}
