using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// The BY and GET patterns of SORT, resolved for one element as Redis resolves them: <c>#</c> is the element itself;
/// otherwise the first <c>*</c> is replaced by the element to name a key holding a string, or, when <c>-&gt;field</c>
/// follows the <c>*</c>, a hash whose field is read. A pattern without <c>*</c>, a missing key, a key of another type
/// or a missing field give null.
/// </summary>
internal static class SortPattern
{
    /// <summary>The value <paramref name="pattern"/> names for <paramref name="element"/>, or null.</summary>
    public static byte[]? Lookup(CommandContext context, byte[] pattern, byte[] element)
    {
        if (pattern is [(byte)'#'])
            return element;
        int star = Array.IndexOf(pattern, (byte)'*');
        if (star < 0)
            return null;
        // "->" after the '*' with something after it makes the rest a hash field name.
        int arrow = pattern.AsSpan(star + 1).IndexOf("->"u8);
        int keyEnd = pattern.Length;
        byte[]? field = null;
        if (arrow >= 0 && star + 1 + arrow + 2 < pattern.Length)
        {
            keyEnd = star + 1 + arrow;
            field = pattern[(keyEnd + 2)..];
        }
        var key = new byte[star + element.Length + (keyEnd - star - 1)];
        pattern.AsSpan(0, star).CopyTo(key);
        element.CopyTo(key, star);
        pattern.AsSpan(star + 1, keyEnd - star - 1).CopyTo(key.AsSpan(star + element.Length));
        var entry = context.Keyspace.Lookup(context, key);
        if (entry is null)
            return null;
        if (field is null)
            return entry.Type == ValueType.String ? entry.StringValue : null;
        return entry.Type == ValueType.Hash && entry.HashValue.TryGetValue(field, out var value) ? value : null;
    }

    /// <summary>
    /// A weight for numeric sorting, read the way Redis reads it (C's strtod over the whole text): leading white space
    /// is skipped, <c>inf</c> is accepted, and NaN, trailing characters, an overflow or nothing to convert are refused.
    /// An empty text converts to 0, as strtod's does.
    /// </summary>
    public static bool TryParseWeight(ReadOnlySpan<byte> text, out double weight)
    {
        weight = 0;
        if (text.Length == 0)
            return true;
        int at = 0;
        while (at < text.Length && text[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r')
            at++;
        return ScoreText.TryParse(text[at..], out weight);
    }
}
