namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// Redis glob matching for KEYS and SCAN MATCH: <c>*</c> any run, <c>?</c> one byte, <c>[abc]</c>,
/// <c>[a-z]</c> (reversed ranges allowed), <c>[^x]</c> negation, and <c>\</c> escaping the next byte
/// (also inside brackets). Byte-wise and case-sensitive.
/// </summary>
public static class GlobPattern
{
    /// <summary>True when the whole of <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        int p = 0, t = 0;
        // Where to resume after the last '*': every other token matches exactly one byte, so retrying
        // from the latest star with one more byte swallowed is enough (no deeper backtracking needed).
        int starP = -1, starT = -1;
        while (t < text.Length)
        {
            if (p < pattern.Length)
            {
                byte c = pattern[p];
                if (c == (byte)'*')
                {
                    while (p < pattern.Length && pattern[p] == (byte)'*')
                        p++;
                    if (p == pattern.Length)
                        return true;
                    starP = p;
                    starT = t;
                    continue;
                }
                if (c == (byte)'?')
                {
                    p++;
                    t++;
                    continue;
                }
                if (c == (byte)'[')
                {
                    if (MatchClass(pattern, p + 1, text[t], out int next))
                    {
                        p = next;
                        t++;
                        continue;
                    }
                }
                else
                {
                    int width = 1;
                    if (c == (byte)'\\' && p + 1 < pattern.Length)
                    {
                        c = pattern[p + 1];
                        width = 2;
                    }
                    if (c == text[t])
                    {
                        p += width;
                        t++;
                        continue;
                    }
                }
            }
            if (starP < 0)
                return false;
            starT++;
            t = starT;
            p = starP;
        }
        while (p < pattern.Length && pattern[p] == (byte)'*')
            p++;
        return p == pattern.Length;
    }

    /// <summary>Matches one byte against the class starting just after '['; <paramref name="next"/> is the index after ']'.</summary>
    private static bool MatchClass(ReadOnlySpan<byte> pattern, int p, byte c, out int next)
    {
        bool negate = p < pattern.Length && pattern[p] == (byte)'^';
        if (negate)
            p++;
        bool match = false;
        while (p < pattern.Length && pattern[p] != (byte)']')
        {
            if (pattern[p] == (byte)'\\' && p + 1 < pattern.Length)
            {
                p++;
                if (pattern[p] == c)
                    match = true;
                p++;
            }
            else if (p + 2 < pattern.Length && pattern[p + 1] == (byte)'-')
            {
                byte start = pattern[p], end = pattern[p + 2];
                if (start > end)
                    (start, end) = (end, start);
                if (c >= start && c <= end)
                    match = true;
                p += 3;
            }
            else
            {
                if (pattern[p] == c)
                    match = true;
                p++;
            }
        }
        // An unterminated class simply ends with the pattern, as in Redis.
        next = p < pattern.Length ? p + 1 : p;
        return negate ? !match : match;
    }
}
