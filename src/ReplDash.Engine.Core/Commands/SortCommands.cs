using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// SORT and SORT_RO over a list, set or sorted set, with Redis 7.0's options (BY, LIMIT, GET, ASC/DESC, ALPHA, STORE),
/// replies and errors. SORT ... STORE replaces the destination with a list and is replicated as its effect:
/// <c>DEL destination</c> (when it existed) then <c>RPUSH destination element ...</c>, so a slave stores exactly the
/// list computed here, whatever its own keys say. BY and GET read keys named by patterns, which the command table
/// cannot list: both commands are marked as reading every key, so their replies wait for every pending write.
/// </summary>
internal static class SortCommands
{
    private static readonly byte[] RPush = "RPUSH"u8.ToArray();

    /// <summary>Past this size the STORE effect could not fit one binlog item; refused before anything changes.</summary>
    private const long MaxEffectBytes = BinlogFormat.MaxItemBytes / 2;

    public static void Sort(CommandContext context, byte[][] args) => Run(context, args, readOnly: false);

    public static void SortRo(CommandContext context, byte[][] args) => Run(context, args, readOnly: true);

    private static void Run(CommandContext context, byte[][] args, bool readOnly)
    {
        var options = SortOptions.Parse(context, args, readOnly);
        if (options is null)
            return;
        var entry = context.Keyspace.Lookup(context, args[1]);
        if (entry is not null && entry.Type is not (ValueType.List or ValueType.Set or ValueType.ZSet))
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongType);
            return;
        }
        // A set sorted into a stored list must come out the same wherever it is computed: Redis then sorts it
        // alphabetically even under a constant BY.
        if (options.DontSort && entry?.Type == ValueType.Set && options.Store is not null)
        {
            options.DontSort = false;
            options.Alpha = true;
            options.By = null;
        }
        var elements = Elements(entry, options);
        if (!options.DontSort && !SortElements(context, elements, options))
        {
            RespWriter.Error(context.Reply, "ERR One or more scores can't be converted into double");
            return;
        }
        var (start, end) = Window(elements.Count, options.LimitStart, options.LimitCount);
        if (options.Store is null)
            Reply(context, elements, start, end, options.Gets);
        else
            Store(context, options.Store, Output(context, elements, start, end, options.Gets));
    }

    /// <summary>
    /// The elements in the order they have before any sorting: a list's order, a sorted set's by score (both reversed
    /// by DESC, which is then all the "sorting" a constant BY does), a set's iteration order.
    /// </summary>
    private static List<byte[]> Elements(KeyEntry? entry, SortOptions options)
    {
        bool reverse = options.DontSort && options.Descending;
        switch (entry?.Type)
        {
            case ValueType.List:
                var list = entry.ListValue.Items().ToList();
                if (reverse)
                    list.Reverse();
                return list;
            case ValueType.Set:
                return entry.SetValue.Members.ToList();
            case ValueType.ZSet:
                var set = entry.ZSetValue;
                return set.Walk(reverse ? set.Count - 1 : 0, set.Count, reverse).Select(pair => pair.Member).ToList();
            default:
                return [];
        }
    }

    /// <summary>
    /// Sorts by the elements themselves or by what BY names: as numbers (ties ordered by the elements' bytes) or, with
    /// ALPHA, as byte strings (a missing BY value first). False when a weight is not a number.
    /// </summary>
    private static bool SortElements(CommandContext context, List<byte[]> elements, SortOptions options)
    {
        var keys = new SortKey[elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            var by = options.By is null ? elements[i] : SortPattern.Lookup(context, options.By, elements[i]);
            double weight = 0;
            if (!options.Alpha && by is not null && !SortPattern.TryParseWeight(by, out weight))
                return false;
            keys[i] = new SortKey(elements[i], i, weight, options.By is null ? elements[i] : by);
        }
        int sign = options.Descending ? -1 : 1;
        Comparison<SortKey> compare = options.Alpha
            ? (a, b) => CompareNullable(a.Compared, b.Compared)
            : (a, b) => a.Weight > b.Weight ? 1 : a.Weight < b.Weight ? -1 : a.Element.AsSpan().SequenceCompareTo(b.Element);
        // Equal keys keep their first order (Redis leaves it to qsort): every node computes the same order anyway.
        Array.Sort(keys, (a, b) => compare(a, b) is var c && c != 0 ? sign * c : a.Index.CompareTo(b.Index));
        for (int i = 0; i < keys.Length; i++)
            elements[i] = keys[i].Element;
        return true;
    }

    private static int CompareNullable(byte[]? a, byte[]? b)
    {
        if (a is null || b is null)
            return a is null ? (b is null ? 0 : -1) : 1;
        return a.AsSpan().SequenceCompareTo(b);
    }

    /// <summary>Redis's LIMIT arithmetic: the inclusive range [start, end] of the sorted elements to output (empty when end &lt; start).</summary>
    private static (long Start, long End) Window(long length, long limitStart, long limitCount)
    {
        long start = Math.Min(Math.Max(limitStart, 0), length);
        long count = Math.Min(Math.Max(limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length)
        {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length)
            end = length - 1;
        return (start, end);
    }

    private static void Reply(CommandContext context, List<byte[]> elements, long start, long end, List<byte[]> gets)
    {
        long count = Math.Max(0, end - start + 1);
        RespWriter.ArrayHeader(context.Reply, (int)(gets.Count > 0 ? gets.Count * count : count));
        for (long j = start; j <= end; j++)
        {
            if (gets.Count == 0)
                RespWriter.Bulk(context.Reply, elements[(int)j]);
            foreach (var pattern in gets)
            {
                if (SortPattern.Lookup(context, pattern, elements[(int)j]) is { } value)
                    RespWriter.Bulk(context.Reply, value);
                else
                    RespWriter.NullBulk(context.Reply);
            }
        }
    }

    /// <summary>What STORE writes: the elements, or what each GET names (an empty string where it names nothing).</summary>
    private static List<byte[]> Output(CommandContext context, List<byte[]> elements, long start, long end, List<byte[]> gets)
    {
        var output = new List<byte[]>();
        for (long j = start; j <= end; j++)
        {
            if (gets.Count == 0)
                output.Add(elements[(int)j]);
            foreach (var pattern in gets)
                output.Add(SortPattern.Lookup(context, pattern, elements[(int)j]) ?? []);
        }
        return output;
    }

    /// <summary>Replaces the destination with a list of <paramref name="values"/> (deletes it when there are none).</summary>
    private static void Store(CommandContext context, byte[] destination, List<byte[]> values)
    {
        long bytes = destination.Length + 16;
        foreach (var value in values)
            bytes += value.Length + 16;
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
        if (values.Count > 0)
        {
            var list = new ByteDeque(values.Count);
            foreach (var value in values)
                list.PushBack(value);
            context.Keyspace.Create(destination, ValueType.List, list);
            var effect = new byte[2 + values.Count][];
            effect[0] = RPush;
            effect[1] = destination;
            values.CopyTo(effect, 2);
            context.RecordEffect(effect);
        }
        RespWriter.Integer(context.Reply, values.Count);
    }

    /// <summary>One element being sorted: its first position, its numeric weight, and what ALPHA compares (null: BY named nothing).</summary>
    private readonly record struct SortKey(byte[] Element, int Index, double Weight, byte[]? Compared);
}
