using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>The count rules and the sampling shared by HRANDFIELD and SRANDMEMBER.</summary>
internal static class RandomPicks
{
    /// <summary>
    /// The most elements one reply may name: a negative count repeats elements, so without a bound one command
    /// could ask the server to build a reply of any size.
    /// </summary>
    public const long MaxReplyElements = 64L * 1024 * 1024;

    /// <summary>The count argument: an integer from -LONG_MAX to LONG_MAX, with Redis's errors.</summary>
    public static bool TryParseCount(CommandContext context, byte[] argument, out long count)
    {
        if (!IntegerText.TryParse(argument, out count))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return false;
        }
        if (count == long.MinValue)
        {
            RespWriter.Error(context.Reply, $"ERR value is out of range, value must between {-long.MaxValue} and {long.MaxValue}");
            return false;
        }
        return true;
    }

    /// <summary>False, with an error reply, when a repeating count would make a reply beyond <see cref="MaxReplyElements"/>.</summary>
    public static bool FitsReply(CommandContext context, long count, int bulksPerElement)
    {
        if (count >= 0 || -count <= MaxReplyElements / bulksPerElement)
            return true;
        RespWriter.Error(context.Reply, "ERR value is out of range");
        return false;
    }

    /// <summary>
    /// Indexes into a collection of <paramref name="size"/> (more than 0) elements: for a count of 0 or more, that
    /// many distinct ones (all when the count reaches the size, in the collection's order); for a negative count,
    /// -count independent picks that may repeat.
    /// </summary>
    public static List<int> Indexes(Random random, int size, long count)
    {
        if (count < 0)
        {
            var repeated = new List<int>((int)Math.Min(-count, MaxReplyElements));
            for (long i = 0; i < -count; i++)
                repeated.Add(random.Next(size));
            return repeated;
        }
        if (count >= size)
            return Enumerable.Range(0, size).ToList();
        // A partial Fisher-Yates shuffle: the first count positions become a uniform sample without repeats.
        var order = Enumerable.Range(0, size).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, size);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order.Take((int)count).ToList();
    }

    /// <summary>One element picked uniformly from a non-empty collection.</summary>
    public static byte[] One(Random random, IReadOnlyCollection<byte[]> items) => items.ElementAt(random.Next(items.Count));
}
