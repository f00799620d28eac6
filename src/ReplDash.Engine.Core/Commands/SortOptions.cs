using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// The options of one SORT or SORT_RO call, parsed as Redis 7.0 parses them: words in any order and any case, a
/// later ASC/DESC or LIMIT replacing an earlier one, GET repeatable.
/// </summary>
internal sealed class SortOptions
{
    /// <summary>DESC (reverses the order; for a set with a constant BY it changes nothing, as in Redis).</summary>
    public bool Descending { get; private set; }

    /// <summary>ALPHA: compare as byte strings instead of as numbers.</summary>
    public bool Alpha { get; set; }

    /// <summary>LIMIT offset (0 without LIMIT).</summary>
    public long LimitStart { get; private set; }

    /// <summary>LIMIT count (-1, all, without LIMIT).</summary>
    public long LimitCount { get; private set; } = -1;

    /// <summary>STORE destination, or null (never set for SORT_RO).</summary>
    public byte[]? Store { get; private set; }

    /// <summary>BY pattern, or null.</summary>
    public byte[]? By { get; set; }

    /// <summary>
    /// BY with no <c>*</c> in its pattern (Redis's "nosort"): the elements keep their own order (a list's, a sorted set's
    /// by score, a set's iteration order).
    /// </summary>
    public bool DontSort { get; set; }

    /// <summary>GET patterns, in order (<c>#</c> is the element itself).</summary>
    public List<byte[]> Gets { get; } = new();

    /// <summary>
    /// Parses the options after the key (<c>args[2..]</c>). Writes Redis's error and returns null when they do not
    /// parse: a LIMIT that is not two integers, an unknown word, a word missing its argument, STORE in SORT_RO.
    /// </summary>
    public static SortOptions? Parse(CommandContext context, byte[][] args, bool readOnly)
    {
        var options = new SortOptions();
        for (int j = 2; j < args.Length; j++)
        {
            int left = args.Length - j - 1;
            var word = args[j];
            if (ArgumentNames.Is(word, "ASC"u8))
                options.Descending = false;
            else if (ArgumentNames.Is(word, "DESC"u8))
                options.Descending = true;
            else if (ArgumentNames.Is(word, "ALPHA"u8))
                options.Alpha = true;
            else if (ArgumentNames.Is(word, "LIMIT"u8) && left >= 2)
            {
                if (!IntegerText.TryParse(args[j + 1], out long start) || !IntegerText.TryParse(args[j + 2], out long count))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return null;
                }
                options.LimitStart = start;
                options.LimitCount = count;
                j += 2;
            }
            else if (!readOnly && ArgumentNames.Is(word, "STORE"u8) && left >= 1)
                options.Store = args[++j];
            else if (ArgumentNames.Is(word, "BY"u8) && left >= 1)
            {
                options.By = args[++j];
                options.DontSort = Array.IndexOf(options.By, (byte)'*') < 0;
            }
            else if (ArgumentNames.Is(word, "GET"u8) && left >= 1)
                options.Gets.Add(args[++j]);
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return null;
            }
        }
        return options;
    }

    /// <summary>The key argument of a SORT_RO call: the key sorted (its patterns are not keys, and it has no STORE).</summary>
    public static IEnumerable<int> ReadOnlyKeyIndexes(byte[][] args) => args.Length < 2 ? [] : [1];

    /// <summary>
    /// The key arguments of a SORT call: the key sorted and, after STORE, the destination (skipping the arguments of
    /// LIMIT, BY and GET, whose patterns are not keys). What COMMAND GETKEYS-style lookups and dependencies use.
    /// </summary>
    public static IEnumerable<int> KeyIndexes(byte[][] args)
    {
        if (args.Length < 2)
            yield break;
        yield return 1;
        int store = -1;
        for (int j = 2; j < args.Length; j++)
        {
            int left = args.Length - j - 1;
            if (ArgumentNames.Is(args[j], "LIMIT"u8) && left >= 2)
                j += 2;
            else if ((ArgumentNames.Is(args[j], "BY"u8) || ArgumentNames.Is(args[j], "GET"u8)) && left >= 1)
                j++;
            else if (ArgumentNames.Is(args[j], "STORE"u8) && left >= 1)
                store = ++j; // the last STORE wins, as in Redis
        }
        if (store > 0)
            yield return store;
    }
}
