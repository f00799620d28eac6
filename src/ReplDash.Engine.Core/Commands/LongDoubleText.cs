using System.Globalization;
using System.Text;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Redis's float text for HINCRBYFLOAT and blocking timeouts: parsed like its string2ld (no spaces, "inf" accepted,
/// "nan" refused) and printed like its "human" format (fixed notation, no exponent, no trailing zeros). Redis
/// computes in long double; this uses double and prints its shortest round-trip digits, so 1.23 prints as 1.23.
/// </summary>
internal static class LongDoubleText
{
    // Redis's MAX_LONG_DOUBLE_CHARS.
    private const int MaxChars = 5 * 1024;

    /// <summary>Parses a float as Redis does; false for spaces, NaN, empty or anything else it refuses.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length == 0 || text.Length >= MaxChars)
            return false;
        foreach (byte b in text)
        {
            // strtold skips leading spaces but string2ld refuses them; trailing ones make the parse incomplete.
            if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f' or 0)
                return false;
        }
        var chars = Encoding.ASCII.GetString(text);
        var unsigned = chars.TrimStart('+', '-');
        if (chars.Length - unsigned.Length <= 1 &&
            (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase)))
        {
            value = chars[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(chars, Style, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }

    /// <summary>The value in Redis's human format: "2", "1.5", "0.000001", "-3.25", "inf".</summary>
    public static byte[] Format(double value)
    {
        if (double.IsPositiveInfinity(value))
            return "inf"u8.ToArray();
        if (double.IsNegativeInfinity(value))
            return "-inf"u8.ToArray();
        var text = ToFixed(value.ToString("R", CultureInfo.InvariantCulture));
        return Encoding.ASCII.GetBytes(text == "-0" ? "0" : text);
    }

    /// <summary>Expands an exponent ("1.5E-07", "1E+20") into fixed notation.</summary>
    private static string ToFixed(string roundTrip)
    {
        int e = roundTrip.IndexOfAny(['E', 'e']);
        if (e < 0)
            return roundTrip;
        int exponent = int.Parse(roundTrip.AsSpan(e + 1), CultureInfo.InvariantCulture);
        var mantissa = roundTrip[..e];
        bool negative = mantissa.StartsWith('-');
        if (negative)
            mantissa = mantissa[1..];
        int dot = mantissa.IndexOf('.');
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int pointAt = (dot < 0 ? mantissa.Length : dot) + exponent; // digits before the decimal point
        string fixedText;
        if (pointAt <= 0)
            fixedText = "0." + new string('0', -pointAt) + digits;
        else if (pointAt >= digits.Length)
            fixedText = digits + new string('0', pointAt - digits.Length);
        else
            fixedText = digits[..pointAt] + "." + digits[pointAt..];
        if (fixedText.Contains('.'))
            fixedText = fixedText.TrimEnd('0').TrimEnd('.');
        return negative ? "-" + fixedText : fixedText;
    }
}
