using System.Buffers;
using System.Text;

namespace ReplDash.Engine.Core.Resp;

/// <summary>Outcome of trying to read one command from a buffer.</summary>
public enum RespParseStatus
{
    /// <summary>A whole command was read; the buffer position moved past it.</summary>
    Complete,
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,
    /// <summary>The bytes break the protocol or a limit; the connection must be closed after the error is sent.</summary>
    ProtocolError,
}

/// <summary>
/// Reads client commands in RESP2: multibulk (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>) or inline
/// (<c>GET k\r\n</c>, as typed in telnet). Pure: it never blocks and never allocates for an
/// incomplete frame beyond what it has to look at.
/// </summary>
public static class RespRequestParser
{
    /// <summary>
    /// Tries to read one command from <paramref name="buffer"/>. On <see cref="RespParseStatus.Complete"/>
    /// <paramref name="consumed"/> is the position after the command and <paramref name="args"/> holds its
    /// arguments (an empty array for a blank inline line, which Redis ignores).
    /// </summary>
    public static RespParseStatus TryParse(ReadOnlySequence<byte> buffer, RespLimits limits,
        out byte[][] args, out SequencePosition consumed, out string? error)
    {
        args = [];
        error = null;
        consumed = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out byte first))
            return RespParseStatus.Incomplete;

        var status = first == (byte)'*'
            ? ParseMultiBulk(ref reader, limits, out args, out error)
            : ParseInline(ref reader, limits, out args, out error);
        if (status == RespParseStatus.Complete)
            consumed = reader.Position;
        return status;
    }

    private static RespParseStatus ParseMultiBulk(ref SequenceReader<byte> reader, RespLimits limits,
        out byte[][] args, out string? error)
    {
        args = [];
        error = null;
        reader.Advance(1);
        var lineStatus = TryReadNumberLine(ref reader, limits.MaxInlineBytes, out long count, out error, "multibulk length");
        if (lineStatus != RespParseStatus.Complete)
            return lineStatus;
        if (count > limits.MaxArguments)
        {
            error = "Protocol error: invalid multibulk length";
            return RespParseStatus.ProtocolError;
        }
        if (count <= 0)
            return RespParseStatus.Complete; // "*0" and "*-1" are empty commands: ignored, as Redis does.

        // Do not trust the count for preallocation beyond what the buffer could hold.
        var result = new byte[count][];
        for (long i = 0; i < count; i++)
        {
            if (!reader.TryPeek(out byte marker))
                return RespParseStatus.Incomplete;
            if (marker != (byte)'$')
            {
                error = $"Protocol error: expected '$', got '{(char)marker}'";
                return RespParseStatus.ProtocolError;
            }
            reader.Advance(1);
            lineStatus = TryReadNumberLine(ref reader, limits.MaxInlineBytes, out long length, out error, "bulk length");
            if (lineStatus != RespParseStatus.Complete)
                return lineStatus;
            if (length < 0 || length > limits.MaxBulkBytes)
            {
                error = "Protocol error: invalid bulk length";
                return RespParseStatus.ProtocolError;
            }
            if (reader.Remaining < length + 2)
                return RespParseStatus.Incomplete;
            var value = new byte[length];
            reader.TryCopyTo(value);
            reader.Advance(length);
            if (!reader.IsNext((byte)'\r', advancePast: true) || !reader.IsNext((byte)'\n', advancePast: true))
            {
                error = "Protocol error: bulk string not terminated by CRLF";
                return RespParseStatus.ProtocolError;
            }
            result[i] = value;
        }
        args = result;
        return RespParseStatus.Complete;
    }

    private static RespParseStatus TryReadNumberLine(ref SequenceReader<byte> reader, int maxLineBytes,
        out long value, out string? error, string what)
    {
        value = 0;
        error = null;
        if (!reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > maxLineBytes)
            {
                error = $"Protocol error: too big {what}";
                return RespParseStatus.ProtocolError;
            }
            return RespParseStatus.Incomplete;
        }
        if (line.Length == 0 || line[^1] != (byte)'\r' || !TryParseLong(line[..^1], out value))
        {
            error = $"Protocol error: invalid {what}";
            return RespParseStatus.ProtocolError;
        }
        return RespParseStatus.Complete;
    }

    private static RespParseStatus ParseInline(ref SequenceReader<byte> reader, RespLimits limits,
        out byte[][] args, out string? error)
    {
        args = [];
        error = null;
        if (!reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > limits.MaxInlineBytes)
            {
                error = "Protocol error: too big inline request";
                return RespParseStatus.ProtocolError;
            }
            return RespParseStatus.Incomplete;
        }
        if (line.Length > limits.MaxInlineBytes)
        {
            error = "Protocol error: too big inline request";
            return RespParseStatus.ProtocolError;
        }
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (!InlineSplitter.TrySplit(line, limits.MaxArguments, out args))
        {
            error = "Protocol error: unbalanced quotes in request";
            return RespParseStatus.ProtocolError;
        }
        return RespParseStatus.Complete;
    }

    /// <summary>Parses a whole span as a signed decimal 64-bit integer (no spaces, no trailing bytes).</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.Length == 0 || digits.Length > 20 || digits[0] == (byte)'+')
            return false;
        return System.Buffers.Text.Utf8Parser.TryParse(digits, out value, out int used) && used == digits.Length;
    }

    /// <summary>Decodes bytes as text for error messages (never for data).</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
