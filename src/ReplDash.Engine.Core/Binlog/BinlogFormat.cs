namespace ReplDash.Engine.Core.Binlog;

/// <summary>
/// Byte layout of binlog segment files. All integers little-endian.
/// <code>
/// Segment header (32 bytes)
///   0  8  magic "RDBINLOG"
///   8  4  format version (1)
///  12  4  header size (32)
///  16  8  logical offset of the first item (bytes of items in all earlier segments)
///  24  4  offset of the first item: 32, or more in a relay segment mirroring a master file from mid-file
///  28  4  CRC-32C of bytes 0..27
///
/// Item (at any offset &gt;= 32)
///   0  4  magic 0x49424452 ("RDBI"): lets recovery tell a torn tail from a corrupt middle
///   4  4  body length B (bytes 8 .. 8+B)
///   8  1  item type (low 4 bits: 1 = transaction, 2 = check marker) and item format - 1 (high 4 bits)
///   9  1  origin length L (1..64)
///  10  L  origin node id (ASCII)
///   .  8  sequence number
///   .  8  timestamp, Unix ms
///   .  4  command count C
///   .     C times: 4 argument count A, then A times: 4 length N, N bytes
/// 8+B  4  CRC-32C of bytes 0 .. 8+B (magic and length included)
/// </code>
/// Item formats: 1, every command applies to database 0 (every item written before numbered databases existed);
/// 2, the same layout, where a command <c>SELECT n</c> switches the database of the commands after it (each item
/// starts in database 0). Items that stay in database 0 are still written in format 1.
/// </summary>
public static class BinlogFormat
{
    public const int SegmentHeaderSize = 32;
    public const uint FormatVersion = 1;
    public const uint ItemMagic = 0x49424452;
    public const int ItemPrefixSize = 8;
    public const int ItemChecksumSize = 4;

    /// <summary>The item format whose commands may switch the database with SELECT (docs/BINLOG-FORMAT.md).</summary>
    public const int DatabasesItemFormat = 2;

    /// <summary>Largest item accepted when reading; a larger length is corruption, not an allocation.</summary>
    public const int MaxItemBytes = 512 * 1024 * 1024;

    public static ReadOnlySpan<byte> SegmentMagic => "RDBINLOG"u8;
}
