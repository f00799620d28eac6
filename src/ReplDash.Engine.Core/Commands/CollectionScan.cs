using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// HSCAN and SSCAN: the cursor walks a fixed 32-bit hash space of the elements, a slice per call. An element present
/// for the whole walk has one place in that space whatever is added or removed meanwhile, so it is returned exactly
/// once, and no state lives on the server. Small collections come back whole with cursor 0, as Redis does for its
/// compact encodings. A slice is sized so that a walk takes at most about <see cref="MaxCallsPerWalk"/> calls, so a
/// huge collection costs a bounded number of passes over it.
/// </summary>
internal static class CollectionScan
{
    /// <summary>Collections up to this size come back in one call (Redis's listpack/intset sizes are of this order).</summary>
    public const int WholeUpTo = 128;

    private const int MaxCallsPerWalk = 32;
    private const long HashSpace = 1L << 32;

    /// <summary>MATCH and COUNT after the cursor, as Redis's scanGenericCommand reads them; false after an error reply.</summary>
    public static bool TryParseOptions(CommandContext context, byte[][] args, int first, out byte[]? pattern, out long count)
    {
        pattern = null;
        count = 10;
        for (int i = first; i < args.Length; i += 2)
        {
            bool hasValue = i + 1 < args.Length;
            if (hasValue && ArgumentNames.Is(args[i], "COUNT"u8))
            {
                if (!IntegerText.TryParse(args[i + 1], out count))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return false;
                }
                if (count < 1)
                {
                    RespWriter.Error(context.Reply, CommandErrors.Syntax);
                    return false;
                }
            }
            else if (hasValue && ArgumentNames.Is(args[i], "MATCH"u8))
                pattern = args[i + 1];
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Adds to <paramref name="output"/> the elements of one slice starting at <paramref name="cursor"/> and returns
    /// the next cursor, 0 when the walk is complete.
    /// </summary>
    public static ulong Step<T>(IReadOnlyCollection<T> items, Func<T, byte[]> nameOf, ulong cursor, long count, List<T> output)
    {
        if (items.Count <= WholeUpTo && cursor == 0)
        {
            output.AddRange(items);
            return 0;
        }
        if (cursor >= HashSpace)
            return 0; // not a cursor this server handed out: nothing is left past it
        long wanted = Math.Max(count, (items.Count + MaxCallsPerWalk - 1) / MaxCallsPerWalk);
        long span = Math.Max(1, (long)(HashSpace * (double)wanted / Math.Max(1, items.Count)));
        long start = (long)cursor;
        long end = Math.Min(HashSpace, start + span);
        foreach (var item in items)
        {
            uint place = Place(nameOf(item));
            if (place >= start && place < end)
                output.Add(item);
        }
        return end >= HashSpace ? 0 : (ulong)end;
    }

    /// <summary>Writes the two-element SCAN reply: the cursor, then the elements (each as one or more bulks).</summary>
    public static void WriteReply<T>(CommandContext context, ulong next, List<T> found, int bulksPerItem, Action<T> writeItem)
    {
        RespWriter.ArrayHeader(context.Reply, 2);
        RespWriter.Bulk(context.Reply, System.Text.Encoding.ASCII.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        RespWriter.ArrayHeader(context.Reply, found.Count * bulksPerItem);
        foreach (var item in found)
            writeItem(item);
    }

    /// <summary>True when there is no pattern or <paramref name="name"/> matches it.</summary>
    public static bool Matches(byte[]? pattern, byte[] name) => pattern is null || GlobPattern.IsMatch(pattern, name);

    // FNV-1a: stable across processes, so a cursor from one node continues on another holding the same data.
    private static uint Place(byte[] name)
    {
        uint hash = 2166136261;
        foreach (byte b in name)
            hash = (hash ^ b) * 16777619;
        return hash;
    }
}
