using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ReplDash.Engine.Core.Resp;

/// <summary>
/// Writes RESP replies into a buffer. Every method writes one complete value (or an aggregate's header). The
/// protocol travels with the buffer: a writer that implements <see cref="IRespProtocolWriter"/> with protocol 3 gets
/// RESP3's forms (null <c>_</c>, map <c>%</c>, set <c>~</c>, double <c>,</c>, push <c>&gt;</c>); any other writer gets
/// RESP2's (see docs/ARCHITECTURE.md, "RESP2 and RESP3").
/// </summary>
public static partial class RespWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    /// <summary><c>+OK</c></summary>
    public static void Ok(IBufferWriter<byte> w) => w.Write("+OK\r\n"u8);

    /// <summary>A simple string: <c>+text\r\n</c>. The text must not contain CR or LF.</summary>
    public static void SimpleString(IBufferWriter<byte> w, string text)
    {
        w.Write("+"u8);
        WriteAscii(w, text);
        w.Write(Crlf);
    }

    /// <summary>An error: <c>-ERR message\r\n</c>. Pass the whole message, prefix included (ERR, WRONGTYPE, READONLY...).</summary>
    public static void Error(IBufferWriter<byte> w, string message)
    {
        w.Write("-"u8);
        WriteAscii(w, message.Replace('\r', ' ').Replace('\n', ' '));
        w.Write(Crlf);
    }

    /// <summary>An integer: <c>:42\r\n</c>.</summary>
    public static void Integer(IBufferWriter<byte> w, long value)
    {
        var span = w.GetSpan(24);
        span[0] = (byte)':';
        Utf8Formatter.TryFormat(value, span[1..], out int n);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        w.Advance(3 + n);
    }

    /// <summary>A bulk string: <c>$3\r\nabc\r\n</c>.</summary>
    public static void Bulk(IBufferWriter<byte> w, ReadOnlySpan<byte> value)
    {
        Header(w, (byte)'$', value.Length);
        w.Write(value);
        w.Write(Crlf);
    }

    /// <summary>A bulk string from text (UTF-8).</summary>
    public static void BulkText(IBufferWriter<byte> w, string value) => Bulk(w, Encoding.UTF8.GetBytes(value));

    /// <summary>The null bulk string <c>$-1</c> (a missing key); RESP3's null <c>_</c> on a RESP3 connection.</summary>
    public static void NullBulk(IBufferWriter<byte> w) => w.Write(IsResp3(w) ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>The null array <c>*-1</c> (an aborted EXEC); RESP3's null <c>_</c> on a RESP3 connection.</summary>
    public static void NullArray(IBufferWriter<byte> w) => w.Write(IsResp3(w) ? "_\r\n"u8 : "*-1\r\n"u8);

    /// <summary>An array header: <c>*n\r\n</c>; the caller then writes n values.</summary>
    public static void ArrayHeader(IBufferWriter<byte> w, int count) => Header(w, (byte)'*', count);

    /// <summary>A command as a client sends it: an array of bulk strings.</summary>
    public static void Command(IBufferWriter<byte> w, IReadOnlyList<byte[]> args)
    {
        ArrayHeader(w, args.Count);
        foreach (var a in args)
            Bulk(w, a);
    }

    private static void Header(IBufferWriter<byte> w, byte marker, long count)
    {
        var span = w.GetSpan(24);
        span[0] = marker;
        Utf8Formatter.TryFormat(count, span[1..], out int n);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        w.Advance(3 + n);
    }

    private static void WriteAscii(IBufferWriter<byte> w, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = w.GetSpan(max);
        int n = Encoding.UTF8.GetBytes(text, span);
        w.Advance(n);
    }
}
