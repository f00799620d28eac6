namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>Counts complete top-level RESP2 (and RESP3) values in a reply, to prove each handler writes exactly one.</summary>
internal static class RespShape
{
    public static int CountValues(ReadOnlySpan<byte> reply)
    {
        int at = 0, count = 0;
        while (at < reply.Length)
        {
            at = Skip(reply, at);
            count++;
        }
        return count;
    }

    private static int Skip(ReadOnlySpan<byte> reply, int at)
    {
        byte marker = reply[at];
        int lineEnd = reply[at..].IndexOf("\r\n"u8) + at;
        if (lineEnd < at)
            throw new FormatException("unterminated line");
        var line = System.Text.Encoding.ASCII.GetString(reply[(at + 1)..lineEnd]);
        int next = lineEnd + 2;
        switch ((char)marker)
        {
            case '+':
            case '-':
            case ':':
            case ',': // RESP3 double
            case '_': // RESP3 null
            case '#': // RESP3 boolean
                return next;
            case '$':
                int length = int.Parse(line);
                return length < 0 ? next : next + length + 2;
            case '%': // RESP3 map: key and value per entry
                int pairs = int.Parse(line);
                for (int i = 0; i < 2 * pairs; i++)
                    next = Skip(reply, next);
                return next;
            case '*':
            case '~': // RESP3 set
            case '>': // RESP3 push
                int items = int.Parse(line);
                for (int i = 0; i < items; i++)
                    next = Skip(reply, next);
                return next;
            default:
                throw new FormatException($"bad marker {(char)marker}");
        }
    }
}
