using System.Buffers.Text;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Redis's strict integer text: optional '-', digits, no '+', no spaces, no leading zeros, 64-bit.</summary>
public static class IntegerText
{
    /// <summary>Parses like Redis's string2ll; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 20)
            return false;
        if (text.Length == 1 && text[0] == (byte)'0')
            return true;
        bool negative = text[0] == (byte)'-';
        int at = negative ? 1 : 0;
        if (at >= text.Length || text[at] < (byte)'1' || text[at] > (byte)'9')
            return false;
        ulong magnitude = 0;
        for (; at < text.Length; at++)
        {
            uint digit = (uint)(text[at] - (byte)'0');
            if (digit > 9)
                return false;
            if (magnitude > (ulong.MaxValue - digit) / 10)
                return false;
            magnitude = magnitude * 10 + digit;
        }
        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
                return false;
            value = (long)(0 - magnitude);
        }
        else
        {
            if (magnitude > long.MaxValue)
                return false;
            value = (long)magnitude;
        }
        return true;
    }

    /// <summary>Parses an unsigned decimal (a SCAN cursor): digits only.</summary>
    public static bool TryParseUnsigned(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.Length == 0)
            return false;
        foreach (byte b in text)
        {
            uint digit = (uint)(b - (byte)'0');
            if (digit > 9 || value > (ulong.MaxValue - digit) / 10)
                return false;
            value = value * 10 + digit;
        }
        return true;
    }

    /// <summary>The decimal text of a number as bytes.</summary>
    public static byte[] Format(long value)
    {
        Span<byte> buffer = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, buffer, out int written);
        return buffer[..written].ToArray();
    }
}
