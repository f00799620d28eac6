namespace ReplDash.Engine.Core.Commands;

/// <summary>Key finders for commands whose keys follow a numkeys argument (LMPOP, BLMPOP, SINTERCARD).</summary>
internal static class MovableKeys
{
    /// <summary>
    /// The keys after the numkeys argument at <paramref name="numKeysIndex"/>: as many as it says, within the
    /// arguments. None when it is not a positive integer (the command then answers with an error anyway).
    /// </summary>
    public static Func<byte[][], IEnumerable<int>> AfterNumKeys(int numKeysIndex) => args => Find(args, numKeysIndex);

    private static IEnumerable<int> Find(byte[][] args, int numKeysIndex)
    {
        if (numKeysIndex >= args.Length || !IntegerText.TryParse(args[numKeysIndex], out long numKeys) || numKeys < 1)
            yield break;
        long last = Math.Min(numKeysIndex + numKeys, args.Length - 1);
        for (int i = numKeysIndex + 1; i <= last; i++)
            yield return i;
    }
}
