namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// LZF decompression, the format of the strings Redis compresses in RDB data and DUMP payloads: literal runs (a
/// control byte below 32 gives their length) and back references (length in the top 3 bits, extended by a byte when
/// 7; distance in the low 5 bits and the next byte). Damage throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class Lzf
{
    /// <summary>Decompresses <paramref name="input"/> into exactly <paramref name="length"/> bytes.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> input, int length)
    {
        var output = new byte[length];
        int at = 0, written = 0;
        while (at < input.Length)
        {
            int control = input[at++];
            if (control < 32)
            {
                int run = control + 1;
                if (at + run > input.Length || written + run > length)
                    throw new InvalidDataException("bad LZF literal");
                input.Slice(at, run).CopyTo(output.AsSpan(written));
                at += run;
                written += run;
                continue;
            }
            int count = control >> 5;
            if (count == 7)
                count += at < input.Length ? input[at++] : throw new InvalidDataException("bad LZF reference");
            if (at >= input.Length)
                throw new InvalidDataException("bad LZF reference");
            int from = written - ((control & 0x1f) << 8) - 1 - input[at++];
            count += 2;
            if (from < 0 || written + count > length)
                throw new InvalidDataException("bad LZF reference");
            for (int i = 0; i < count; i++)
                output[written++] = output[from + i];
        }
        if (written != length)
            throw new InvalidDataException("LZF length mismatch");
        return output;
    }
}
