using System.Text;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Case-insensitive matching of option words (EX, NX, MATCH...) and the fixed names used in rewritten effects.</summary>
internal static class ArgumentNames
{
    public static readonly byte[] Set = "SET"u8.ToArray();
    public static readonly byte[] Del = "DEL"u8.ToArray();
    public static readonly byte[] Pxat = "PXAT"u8.ToArray();
    public static readonly byte[] KeepTtl = "KEEPTTL"u8.ToArray();
    public static readonly byte[] PexpireAt = "PEXPIREAT"u8.ToArray();
    public static readonly byte[] Srem = "SREM"u8.ToArray();
    public static readonly byte[] Persist = "PERSIST"u8.ToArray();
    public static readonly byte[] MSet = "MSET"u8.ToArray();
    public static readonly byte[] Rename = "RENAME"u8.ToArray();
    public static readonly byte[] Replace = "REPLACE"u8.ToArray();

    /// <summary>True when the argument is <paramref name="word"/> in any ASCII case.</summary>
    public static bool Is(byte[] argument, ReadOnlySpan<byte> word) => Ascii.EqualsIgnoreCase(argument, word);
}
