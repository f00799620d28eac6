using System.Buffers;
using System.Globalization;

namespace ReplDash.Engine.Core.Resp;

/// <summary>
/// The replies whose form differs between RESP2 and RESP3. Each helper writes RESP3's form when the buffer is a
/// RESP3 connection's (<see cref="IRespProtocolWriter"/>) and the RESP2 form Redis 7 uses otherwise, so a command
/// calls one helper and is right for both.
/// </summary>
public static partial class RespWriter
{
    /// <summary>The protocol the buffer's connection speaks: 3 after HELLO 3, else 2.</summary>
    public static int ProtocolOf(IBufferWriter<byte> w) => w is IRespProtocolWriter { Protocol: 3 } ? 3 : 2;

    /// <summary>True when the buffer belongs to a RESP3 connection.</summary>
    public static bool IsResp3(IBufferWriter<byte> w) => w is IRespProtocolWriter { Protocol: 3 };

    /// <summary>
    /// A map header (HGETALL, CONFIG GET, HELLO): RESP3 <c>%pairs</c>; RESP2 a flat array <c>*2·pairs</c>. The caller
    /// then writes each key followed by its value.
    /// </summary>
    public static void MapHeader(IBufferWriter<byte> w, int pairs)
    {
        if (IsResp3(w))
            Header(w, (byte)'%', pairs);
        else
            Header(w, (byte)'*', 2L * pairs);
    }

    /// <summary>A set header (SMEMBERS, SPOP with a count, SINTER...): RESP3 <c>~n</c>; RESP2 an array <c>*n</c>.</summary>
    public static void SetHeader(IBufferWriter<byte> w, int count) => Header(w, IsResp3(w) ? (byte)'~' : (byte)'*', count);

    /// <summary>
    /// A push header (pub/sub messages, subscribe confirmations): RESP3 <c>&gt;n</c>, out of band of replies; RESP2 an
    /// array <c>*n</c>.
    /// </summary>
    public static void PushHeader(IBufferWriter<byte> w, int count) => Header(w, IsResp3(w) ? (byte)'>' : (byte)'*', count);

    /// <summary>
    /// A null of any kind: RESP3 <c>_</c>; RESP2 the null bulk string <c>$-1</c> (Redis 7 sends the null bulk for a
    /// null reply in RESP2; use <see cref="NullArray"/> where Redis sends <c>*-1</c>).
    /// </summary>
    public static void Null(IBufferWriter<byte> w) => NullBulk(w);

    /// <summary>
    /// A double (ZSCORE, INCRBYFLOAT in RESP3 where Redis uses it): RESP3 <c>,1.5</c>; RESP2 a bulk string. Both use
    /// <see cref="FormatDouble"/>.
    /// </summary>
    public static void Double(IBufferWriter<byte> w, double value)
    {
        string text = FormatDouble(value);
        if (IsResp3(w))
        {
            w.Write(","u8);
            WriteAscii(w, text);
            w.Write(Crlf);
        }
        else
            BulkText(w, text);
    }

    /// <summary>
    /// A double as Redis 7.0 prints it (<c>%.17g</c>): <c>inf</c>, <c>-inf</c>, <c>nan</c>, and otherwise up to 17
    /// significant digits with a lowercase exponent (<c>1.5</c>, <c>0.10000000000000001</c>, <c>1e+20</c>).
    /// </summary>
    public static string FormatDouble(double value)
    {
        if (double.IsPositiveInfinity(value))
            return "inf";
        if (double.IsNegativeInfinity(value))
            return "-inf";
        if (double.IsNaN(value))
            return "nan";
        string text = value.ToString("G17", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        if (e < 0)
            return text;
        // .NET writes E+20 / E-05; C's %g writes e+20 / e-05 (at least two exponent digits).
        string mantissa = text[..e];
        char sign = text[e + 1];
        string digits = text[(e + 2)..].TrimStart('0');
        return $"{mantissa}e{sign}{digits.PadLeft(2, '0')}";
    }

    /// <summary>
    /// Text a person reads (INFO, CLIENT INFO, CLIENT LIST): RESP3 a verbatim string <c>=len\r\ntxt:...</c>; RESP2 a
    /// bulk string.
    /// </summary>
    public static void VerbatimText(IBufferWriter<byte> w, string text)
    {
        if (!IsResp3(w))
        {
            BulkText(w, text);
            return;
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Header(w, (byte)'=', bytes.Length + 4);
        w.Write("txt:"u8);
        w.Write(bytes);
        w.Write(Crlf);
    }
}
