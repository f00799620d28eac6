using System.Globalization;
using System.Text;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Sorted-set scores as text, the way Redis 7.0 reads and writes them: strtod-like parsing (no spaces,
/// "inf"/"infinity" in any case with an optional sign, no NaN) and replies in C's <c>%.17g</c> form
/// ("1.5", "0.10000000000000001", "1e+20", "inf", "-inf"). Redis 7.0.15's own test suite compares scores
/// as text with <c>tcl_precision 17</c>, so the 17 significant digits are what clients of 7.0 see.
/// </summary>
public static class ScoreText
{
    private static readonly byte[] PositiveInfinity = "inf"u8.ToArray();
    private static readonly byte[] NegativeInfinity = "-inf"u8.ToArray();

    /// <summary>
    /// Parses a score or weight (Redis's string2d): false for NaN, for spaces, for anything strtod would not
    /// consume whole, and for values that overflow to infinity or underflow to zero.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value) => TryParse(text, strict: true, out value);

    /// <summary>
    /// Parses one end of a score range (Redis's zslParseRange, after the optional '('): like
    /// <see cref="TryParse(ReadOnlySpan{byte}, out double)"/> but an overflow is accepted as infinity.
    /// </summary>
    public static bool TryParseRangeEnd(ReadOnlySpan<byte> text, out double value) => TryParse(text, strict: false, out value);

    private static bool TryParse(ReadOnlySpan<byte> text, bool strict, out double value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 400)
            return false;
        int at = 0;
        bool negative = false;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == (byte)'-';
            at = 1;
        }
        var body = text[at..];
        if (Ascii.EqualsIgnoreCase(body, "inf"u8) || Ascii.EqualsIgnoreCase(body, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        // Only what strtod reads as a decimal number: digits, one '.', an exponent. (NaN, hex and spaces are refused.)
        bool digits = false, nonZeroDigit = false;
        int i = 0;
        for (; i < body.Length && IsDigit(body[i]); i++)
        {
            digits = true;
            nonZeroDigit |= body[i] != (byte)'0';
        }
        if (i < body.Length && body[i] == (byte)'.')
        {
            i++;
            for (; i < body.Length && IsDigit(body[i]); i++)
            {
                digits = true;
                nonZeroDigit |= body[i] != (byte)'0';
            }
        }
        if (!digits)
            return false;
        if (i < body.Length && body[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < body.Length && body[i] is (byte)'+' or (byte)'-')
                i++;
            int exponentStart = i;
            for (; i < body.Length && IsDigit(body[i]); i++)
            {
            }
            if (i == exponentStart)
                return false;
        }
        if (i != body.Length)
            return false;
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value))
            return false;
        if (strict && (double.IsInfinity(value) || (value == 0 && nonZeroDigit)))
            return false; // strtod's ERANGE: overflow, or a non-zero number that underflowed to zero
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>A score as Redis 7.0 replies with it (<c>%.17g</c>; "inf" and "-inf").</summary>
    public static byte[] Format(double value)
    {
        if (double.IsPositiveInfinity(value))
            return PositiveInfinity;
        if (double.IsNegativeInfinity(value))
            return NegativeInfinity;
        return Encoding.ASCII.GetBytes(FormatG17(value));
    }

    /// <summary>C's <c>printf("%.17g")</c> for a finite double.</summary>
    internal static string FormatG17(double value)
    {
        if (value == 0)
            return double.IsNegative(value) ? "-0" : "0";
        // "E16" gives exactly 17 significant digits, correctly rounded: d.dddddddddddddddde+XXX.
        string e = value.ToString("E16", CultureInfo.InvariantCulture);
        bool negative = e[0] == '-';
        if (negative)
            e = e[1..];
        int ePos = e.IndexOf('E');
        string digits = e[0] + e[2..ePos];
        int exponent = int.Parse(e.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var text = new StringBuilder(32);
        if (negative)
            text.Append('-');
        if (exponent < -4 || exponent >= 17)
        {
            string mantissa = digits.TrimEnd('0');
            text.Append(mantissa[0]);
            if (mantissa.Length > 1)
                text.Append('.').Append(mantissa, 1, mantissa.Length - 1);
            text.Append('e').Append(exponent < 0 ? '-' : '+');
            int magnitude = Math.Abs(exponent);
            if (magnitude < 10)
                text.Append('0');
            text.Append(magnitude.ToString(CultureInfo.InvariantCulture));
            return text.ToString();
        }
        if (exponent >= 0)
        {
            string whole = digits[..(exponent + 1)];
            string fraction = digits[(exponent + 1)..].TrimEnd('0');
            text.Append(whole);
            if (fraction.Length > 0)
                text.Append('.').Append(fraction);
        }
        else
        {
            string fraction = (new string('0', -exponent - 1) + digits).TrimEnd('0');
            text.Append("0.").Append(fraction);
        }
        return text.ToString();
    }
}
