using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// ZADD (NX, XX, GT, LT, CH, INCR) and ZINCRBY. Replicated as a plain ZADD of the members whose score
/// changed, with their resulting scores, so an INCR is applied on replicas as the value it produced.
/// </summary>
internal static class ZSetAddCommands
{
    [Flags]
    private enum AddOptions
    {
        None = 0,
        Nx = 1,
        Xx = 2,
        Gt = 4,
        Lt = 8,
        Ch = 16,
        Incr = 32,
    }

    public static void ZAdd(CommandContext context, byte[][] args)
    {
        var options = AddOptions.None;
        int at = 2;
        for (; at < args.Length; at++)
        {
            var option = ParseOption(args[at]);
            if (option == AddOptions.None)
                break;
            options |= option;
        }
        int elements = args.Length - at;
        if (elements == 0 || elements % 2 != 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        Add(context, args[1], options, args, at);
    }

    public static void ZIncrBy(CommandContext context, byte[][] args) =>
        Add(context, args[1], AddOptions.Incr, args, 2);

    private static AddOptions ParseOption(byte[] word)
    {
        if (ArgumentNames.Is(word, "NX"u8))
            return AddOptions.Nx;
        if (ArgumentNames.Is(word, "XX"u8))
            return AddOptions.Xx;
        if (ArgumentNames.Is(word, "GT"u8))
            return AddOptions.Gt;
        if (ArgumentNames.Is(word, "LT"u8))
            return AddOptions.Lt;
        if (ArgumentNames.Is(word, "CH"u8))
            return AddOptions.Ch;
        if (ArgumentNames.Is(word, "INCR"u8))
            return AddOptions.Incr;
        return AddOptions.None;
    }

    /// <summary>Adds the score/member pairs from <paramref name="first"/> on (Redis's zaddGenericCommand).</summary>
    private static void Add(CommandContext context, byte[] key, AddOptions options, byte[][] args, int first)
    {
        bool nx = options.HasFlag(AddOptions.Nx), xx = options.HasFlag(AddOptions.Xx);
        bool gt = options.HasFlag(AddOptions.Gt), lt = options.HasFlag(AddOptions.Lt);
        bool incr = options.HasFlag(AddOptions.Incr);
        int pairs = (args.Length - first) / 2;
        if (nx && xx)
        {
            RespWriter.Error(context.Reply, "ERR XX and NX options at the same time are not compatible");
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            RespWriter.Error(context.Reply, "ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if (incr && pairs > 1)
        {
            RespWriter.Error(context.Reply, "ERR INCR option supports a single increment-element pair");
            return;
        }
        // Every score is checked before anything changes: the command runs whole or not at all.
        var scores = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            if (!ScoreText.TryParse(args[first + 2 * i], out scores[i]))
            {
                RespWriter.Error(context.Reply, ZSetReplies.NotFloat);
                return;
            }
        }
        if (!TypedLookup.TryGet(context, key, ValueType.ZSet, out var entry))
            return;
        if (entry is null && xx)
        {
            if (incr)
                RespWriter.NullBulk(context.Reply);
            else
                RespWriter.Integer(context.Reply, 0);
            return;
        }
        var set = entry?.ZSetValue ?? new ZSet();
        var changed = new List<(byte[] Member, double Score)>();
        int added = 0, updated = 0, processed = 0;
        double result = 0;
        for (int i = 0; i < pairs; i++)
        {
            double score = scores[i];
            byte[] member = args[first + 2 * i + 1];
            if (set.TryGetScore(member, out double current))
            {
                if (nx)
                    continue;
                if (incr)
                {
                    score += current;
                    if (double.IsNaN(score))
                    {
                        RespWriter.Error(context.Reply, ZSetReplies.NaNResult);
                        return; // INCR takes one pair, so nothing has changed
                    }
                }
                if ((lt && score >= current) || (gt && score <= current))
                    continue;
                processed++;
                result = score;
                if (score != current)
                {
                    set.Set(member, score);
                    changed.Add((member, score));
                    updated++;
                }
            }
            else if (!xx)
            {
                set.Set(member, score);
                changed.Add((member, score));
                added++;
                processed++;
                result = score;
            }
        }
        if (changed.Count > 0)
        {
            if (entry is null)
                context.Keyspace.Create(key, ValueType.ZSet, set);
            else
                context.Keyspace.Touch(entry);
            context.RecordEffect(ZSetReplies.ZAddEffect(key, changed));
        }
        if (incr)
        {
            if (processed > 0)
                ZSetReplies.Score(context.Reply, result);
            else
                RespWriter.NullBulk(context.Reply);
        }
        else
        {
            RespWriter.Integer(context.Reply, options.HasFlag(AddOptions.Ch) ? added + updated : added);
        }
    }
}
