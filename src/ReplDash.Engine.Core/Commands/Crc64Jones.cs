namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// The CRC-64 Redis puts at the end of a DUMP payload: the Jones polynomial (0xad93d23594c935a9), reflected, initial
/// value 0, no final XOR. Check value: "123456789" gives 0xe9c6d914c4b8d9ca.
/// </summary>
public static class Crc64Jones
{
    private const ulong ReflectedPolynomial = 0x95ac9329ac4bc9b5;
    private static readonly ulong[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        ulong crc = 0;
        foreach (byte b in data)
            crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        return crc;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (int i = 0; i < 256; i++)
        {
            ulong crc = (ulong)i;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            table[i] = crc;
        }
        return table;
    }
}
