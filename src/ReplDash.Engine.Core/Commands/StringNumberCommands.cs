using System.Globalization;
using System.Text;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>INCRBYFLOAT and MSETNX.</summary>
internal static class StringNumberCommands
{
    private const string NotFloat = "ERR value is not a valid float";

    /// <summary>
    /// INCRBYFLOAT key increment: the new value as text. Replicated as SET key result KEEPTTL, as Redis does, so
    /// that no replica ever redoes floating-point arithmetic (or formats it differently).
    /// </summary>
    public static void IncrByFloat(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        double current = 0;
        if ((entry is not null && !TryParseFloat(entry.StringValue, out current)) || !TryParseFloat(args[2], out double increment))
        {
            RespWriter.Error(context.Reply, NotFloat);
            return;
        }
        double result = current + increment;
        if (double.IsNaN(result) || double.IsInfinity(result))
        {
            RespWriter.Error(context.Reply, "ERR increment would produce NaN or Infinity");
            return;
        }
        var text = TryAddExactly(entry?.StringValue, args[2], current, increment, out var exact)
            ? exact
            : FormatFloat(result == 0 ? 0.0 : result); // never "-0", as Redis
        if (entry is null)
            context.Keyspace.Create(args[1], ValueType.String, text);
        else
            context.Keyspace.ReplaceString(entry, text); // the expiry stays, as in Redis
        context.RecordEffect(ArgumentNames.Set, args[1], text, ArgumentNames.KeepTtl);
        RespWriter.Bulk(context.Reply, text);
    }

    /// <summary>MSETNX key value [key value ...]: 1 and every key set, or 0 and none when any exists. Replicated as MSET.</summary>
    public static void MSetNx(CommandContext context, byte[][] args)
    {
        if (args.Length % 2 == 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongArgumentCount("msetnx"));
            return;
        }
        for (int i = 1; i < args.Length; i += 2)
        {
            if (context.Keyspace.Lookup(context, args[i]) is not null)
            {
                RespWriter.Integer(context.Reply, 0);
                return;
            }
        }
        for (int i = 1; i < args.Length; i += 2)
            context.Keyspace.SetString(args[i], args[i + 1], 0, keepTtl: false);
        context.RecordEffect([ArgumentNames.MSet, .. args[1..]]);
        RespWriter.Integer(context.Reply, 1);
    }

    /// <summary>
    /// Redis adds in 80-bit long double and prints 17 decimals, so 4.1 + -1 answers "3.1"; a 64-bit double would
    /// answer 3.0999999999999996. When both numbers are plain decimals that fit System.Decimal (28 digits) without
    /// changing their double value, the decimal sum is exact and gives Redis's text for them.
    /// </summary>
    private static bool TryAddExactly(byte[]? currentText, byte[] incrementText, double current, double increment, out byte[] text)
    {
        text = [];
        if (!TryParseDecimal(currentText, current, out decimal a) || !TryParseDecimal(incrementText, increment, out decimal b))
            return false;
        decimal sum;
        try
        {
            sum = a + b;
        }
        catch (OverflowException)
        {
            return false;
        }
        var plain = sum.ToString(CultureInfo.InvariantCulture);
        if (plain.Contains('.'))
            plain = plain.TrimEnd('0').TrimEnd('.');
        if (plain == "-0")
            plain = "0";
        text = Encoding.ASCII.GetBytes(plain);
        return true;
    }

    private static bool TryParseDecimal(byte[]? text, double asDouble, out decimal value)
    {
        value = 0;
        if (text is null)
            return true; // a missing key counts as 0
        return decimal.TryParse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && (double)value == asDouble;
    }

    /// <summary>Like Redis's strtold check: a whole decimal or exponent number, no spaces, not NaN.</summary>
    private static bool TryParseFloat(byte[] text, out double value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 5000 || IsSpace(text[0]) || IsSpace(text[^1]))
            return false;
        var ascii = Encoding.ASCII.GetString(text);
        // strtold reads "inf" and "infinity" (the sum is then refused as Infinity), but a finite number too large
        // for the type is a range error, not infinity.
        bool negative = ascii[0] == '-';
        var unsigned = ascii[0] is '+' or '-' ? ascii[1..] : ascii;
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        return double.TryParse(ascii, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && !double.IsNaN(value) && !double.IsInfinity(value);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    /// <summary>
    /// The shortest text that reads back as the same double, written without an exponent (Redis's "human" float
    /// form never uses one): 10.5 + 0.1 is "10.6", 1e20 is "100000000000000000000".
    /// </summary>
    internal static byte[] FormatFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
            text = ExpandExponent(text[..e], int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture));
        return Encoding.ASCII.GetBytes(text);
    }

    private static string ExpandExponent(string mantissa, int exponent)
    {
        bool negative = mantissa.StartsWith('-');
        if (negative)
            mantissa = mantissa[1..];
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int pointAt = (dot < 0 ? mantissa.Length : dot) + exponent; // digits before the decimal point
        string plain;
        if (pointAt <= 0)
            plain = "0." + new string('0', -pointAt) + digits;
        else if (pointAt >= digits.Length)
            plain = digits + new string('0', pointAt - digits.Length);
        else
            plain = digits[..pointAt] + "." + digits[pointAt..];
        if (plain.Contains('.'))
            plain = plain.TrimEnd('0').TrimEnd('.');
        return negative ? "-" + plain : plain;
    }
}
