namespace ReplDash.Engine.Core.Resp;

/// <summary>
/// Splits an inline command line into arguments the way redis-cli and Redis's sdssplitargs do:
/// spaces separate, double quotes allow escapes (\n, \r, \t, \xHH, \\, \"), single quotes are literal.
/// </summary>
internal static class InlineSplitter
{
    public static bool TrySplit(ReadOnlySpan<byte> line, int maxArguments, out byte[][] args)
    {
        var result = new List<byte[]>();
        var current = new List<byte>();
        int i = 0;
        args = [];
        while (true)
        {
            while (i < line.Length && IsSpace(line[i]))
                i++;
            if (i >= line.Length)
                break;
            current.Clear();
            bool inDouble = false, inSingle = false, done = false;
            while (!done)
            {
                if (inDouble)
                {
                    if (i >= line.Length)
                        return false;
                    byte c = line[i];
                    if (c == '\\' && i + 3 < line.Length && line[i + 1] == 'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                    {
                        current.Add((byte)(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
                        i += 3;
                    }
                    else if (c == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        current.Add(line[i] switch { (byte)'n' => (byte)'\n', (byte)'r' => (byte)'\r', (byte)'t' => (byte)'\t', (byte)'b' => (byte)'\b', (byte)'a' => (byte)'\a', var other => other });
                    }
                    else if (c == '"')
                    {
                        // A closing quote must be followed by a space or the end of the line.
                        if (i + 1 < line.Length && !IsSpace(line[i + 1]))
                            return false;
                        done = true;
                    }
                    else
                        current.Add(c);
                }
                else if (inSingle)
                {
                    if (i >= line.Length)
                        return false;
                    byte c = line[i];
                    if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;
                        current.Add((byte)'\'');
                    }
                    else if (c == '\'')
                    {
                        if (i + 1 < line.Length && !IsSpace(line[i + 1]))
                            return false;
                        done = true;
                    }
                    else
                        current.Add(c);
                }
                else
                {
                    if (i >= line.Length)
                        break;
                    byte c = line[i];
                    if (IsSpace(c))
                        done = true;
                    else if (c == '"')
                        inDouble = true;
                    else if (c == '\'')
                        inSingle = true;
                    else
                        current.Add(c);
                }
                if (i < line.Length)
                    i++;
            }
            result.Add(current.ToArray());
            if (result.Count > maxArguments)
                return false;
        }
        args = result.ToArray();
        return true;
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
