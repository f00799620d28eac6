using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Set commands: SADD, SREM, SMEMBERS, SCARD, SPOP.</summary>
internal static class SetCommands
{
    public static void SAdd(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        entry ??= context.Keyspace.Create(args[1], ValueType.Set, new MemberSet());
        var set = entry.SetValue;
        int added = 0;
        for (int i = 2; i < args.Length; i++)
        {
            if (set.Add(args[i]))
                added++;
        }
        if (added > 0)
        {
            context.Keyspace.Touch(entry);
            context.RecordEffect(args);
        }
        RespWriter.Integer(context.Reply, added);
    }

    public static void SRem(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        int removed = 0;
        if (entry is not null)
        {
            var set = entry.SetValue;
            for (int i = 2; i < args.Length; i++)
            {
                if (set.Remove(args[i]))
                    removed++;
            }
            if (removed > 0)
            {
                context.Keyspace.TouchOrRemoveIfEmpty(entry, set.Count);
                context.RecordEffect(args);
            }
        }
        RespWriter.Integer(context.Reply, removed);
    }

    public static void SMembers(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        var members = entry?.SetValue.Members ?? [];
        RespWriter.SetHeader(context.Reply, members.Count);
        foreach (var member in members)
            RespWriter.Bulk(context.Reply, member);
    }

    public static void SCard(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        RespWriter.Integer(context.Reply, entry?.SetValue.Count ?? 0);
    }

    public static void SPop(CommandContext context, byte[][] args)
    {
        if (args.Length > 3)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        bool hasCount = args.Length == 3;
        long count = 1;
        if (hasCount && !CountArgument.TryParse(context, args[2], out count))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.Set, out var entry))
            return;
        if (entry is null || (hasCount && count == 0))
        {
            if (hasCount)
                RespWriter.SetHeader(context.Reply, 0);
            else
                RespWriter.NullBulk(context.Reply);
            return;
        }
        var set = entry.SetValue;
        int taken = (int)Math.Min(count, set.Count);
        // The effect names the members chosen, so replicas remove the same ones (the choice is random).
        var effect = new byte[taken + 2][];
        effect[0] = ArgumentNames.Srem;
        effect[1] = entry.Key;
        for (int i = 0; i < taken; i++)
        {
            var member = set.MemberAt(context.Random.Next(set.Count));
            set.Remove(member);
            effect[i + 2] = member;
        }
        if (hasCount)
        {
            RespWriter.SetHeader(context.Reply, taken);
            for (int i = 0; i < taken; i++)
                RespWriter.Bulk(context.Reply, effect[i + 2]);
        }
        else
        {
            RespWriter.Bulk(context.Reply, effect[2]);
        }
        context.Keyspace.TouchOrRemoveIfEmpty(entry, set.Count);
        context.RecordEffect(effect);
    }
}
