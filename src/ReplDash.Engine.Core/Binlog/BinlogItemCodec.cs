using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ReplDash.Engine.Core.Binlog;

/// <summary>Result of decoding one item.</summary>
public enum ItemDecodeStatus
{
    /// <summary>A whole, checksum-verified item.</summary>
    Ok,
    /// <summary>The bytes end before the item does (at the end of a log: a torn tail).</summary>
    Incomplete,
    /// <summary>Bad magic, impossible length, checksum mismatch or malformed body.</summary>
    Corrupt,
}

/// <summary>
/// Encodes and decodes binlog items (layout in <see cref="BinlogFormat"/>). The checksum is computed when
/// encoding and verified when decoding, so every item is checked twice: before it is written and after
/// it is read.
/// </summary>
public static class BinlogItemCodec
{
    /// <summary>Appends the encoded item to <paramref name="writer"/> and returns its size in bytes.</summary>
    public static int Encode(BinlogItem item, IBufferWriter<byte> writer)
    {
        int originBytes = Encoding.ASCII.GetByteCount(item.Id.Origin);
        if (originBytes is 0 or > TransactionId.MaxOriginBytes)
            throw new ArgumentException($"Origin id must be 1..{TransactionId.MaxOriginBytes} ASCII bytes.", nameof(item));

        long body = 1 + 1 + originBytes + 8 + 8 + 4;
        foreach (var command in item.Commands)
        {
            body += 4;
            foreach (var arg in command)
                body += 4 + arg.Length;
        }
        long total = BinlogFormat.ItemPrefixSize + body + BinlogFormat.ItemChecksumSize;
        if (total > BinlogFormat.MaxItemBytes)
            throw new ArgumentException($"Binlog item of {total} bytes exceeds the {BinlogFormat.MaxItemBytes}-byte limit.", nameof(item));

        var span = writer.GetSpan((int)total)[..(int)total];
        BinaryPrimitives.WriteUInt32LittleEndian(span, BinlogFormat.ItemMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)body);
        int at = 8;
        span[at++] = TypeByte(item);
        span[at++] = (byte)originBytes;
        at += Encoding.ASCII.GetBytes(item.Id.Origin, span[at..]);
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], item.Id.Sequence);
        at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], item.TimestampMs);
        at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], item.Commands.Count);
        at += 4;
        foreach (var command in item.Commands)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], command.Length);
            at += 4;
            foreach (var arg in command)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[at..], arg.Length);
                at += 4;
                arg.CopyTo(span[at..]);
                at += arg.Length;
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32C.Compute(span[..at]));
        writer.Advance((int)total);
        return (int)total;
    }

    /// <summary>
    /// The item's type byte: the type in the low 4 bits, the item format minus 1 in the high 4 bits. An item whose
    /// effects stay in database 0 is written in format 1, byte for byte as before databases existed; one that switches
    /// database (a SELECT effect) in format 2, which a build that knows no databases refuses instead of misapplying.
    /// </summary>
    private static byte TypeByte(BinlogItem item)
    {
        foreach (var command in item.Commands)
            if (command.Length == 2 && System.Text.Ascii.EqualsIgnoreCase(command[0], "SELECT"u8))
                return (byte)(((BinlogFormat.DatabasesItemFormat - 1) << 4) | (byte)item.Type);
        return (byte)item.Type;
    }

    /// <summary>The item format (1 or 2, see <see cref="BinlogFormat"/>) of an encoded item that was verified.</summary>
    public static int FormatOf(ReadOnlySpan<byte> item) => (item[BinlogFormat.ItemPrefixSize] >> 4) + 1;

    /// <summary>Encodes one item into a new array.</summary>
    public static byte[] Encode(BinlogItem item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(item, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads the item size from its 8-byte prefix without checking the body. False when the prefix is
    /// not an item's (bad magic or impossible length).
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> prefix, out int itemBytes)
    {
        itemBytes = 0;
        if (prefix.Length < BinlogFormat.ItemPrefixSize || BinaryPrimitives.ReadUInt32LittleEndian(prefix) != BinlogFormat.ItemMagic)
            return false;
        uint body = BinaryPrimitives.ReadUInt32LittleEndian(prefix[4..]);
        long total = BinlogFormat.ItemPrefixSize + (long)body + BinlogFormat.ItemChecksumSize;
        if (body < 22 || total > BinlogFormat.MaxItemBytes)
            return false;
        itemBytes = (int)total;
        return true;
    }

    /// <summary>
    /// Verifies the framing and checksum of the item at the start of <paramref name="data"/> without
    /// decoding its body (for shipping bytes as they are).
    /// </summary>
    public static ItemDecodeStatus TryVerify(ReadOnlySpan<byte> data, out int itemBytes)
    {
        itemBytes = 0;
        if (data.Length < BinlogFormat.ItemPrefixSize)
            return ItemDecodeStatus.Incomplete;
        if (!TryReadSize(data, out int total))
            return ItemDecodeStatus.Corrupt;
        if (data.Length < total)
            return ItemDecodeStatus.Incomplete;
        int checksumAt = total - BinlogFormat.ItemChecksumSize;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[checksumAt..]) != Crc32C.Compute(data[..checksumAt]))
            return ItemDecodeStatus.Corrupt;
        itemBytes = total;
        return ItemDecodeStatus.Ok;
    }

    /// <summary>Decodes and verifies the item at the start of <paramref name="data"/>.</summary>
    public static ItemDecodeStatus TryDecode(ReadOnlySpan<byte> data, out BinlogItem? item, out int itemBytes)
    {
        item = null;
        var status = TryVerify(data, out int total);
        itemBytes = 0;
        if (status != ItemDecodeStatus.Ok)
            return status;
        if (!TryDecodeVerified(data[..total], out item))
            return ItemDecodeStatus.Corrupt;
        itemBytes = total;
        return ItemDecodeStatus.Ok;
    }

    /// <summary>
    /// Decodes the body of a whole item that <see cref="TryVerify"/> already accepted (exactly the item's
    /// bytes), without computing its checksum again. False when the body is malformed.
    /// </summary>
    public static bool TryDecodeVerified(ReadOnlySpan<byte> item, out BinlogItem? decoded) =>
        TryDecodeBody(item[BinlogFormat.ItemPrefixSize..^BinlogFormat.ItemChecksumSize], out decoded);

    private static bool TryDecodeBody(ReadOnlySpan<byte> body, out BinlogItem? item)
    {
        item = null;
        var type = (BinlogItemType)(body[0] & 0x0F);
        int format = (body[0] >> 4) + 1;
        int originLength = body[1];
        if (!Enum.IsDefined(type) || format > BinlogFormat.DatabasesItemFormat || originLength is 0 or > TransactionId.MaxOriginBytes || body.Length < 2 + originLength + 20)
            return false;
        string origin = Encoding.ASCII.GetString(body.Slice(2, originLength));
        var rest = body[(2 + originLength)..];
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(rest);
        long timestamp = BinaryPrimitives.ReadInt64LittleEndian(rest[8..]);
        int commandCount = BinaryPrimitives.ReadInt32LittleEndian(rest[16..]);
        rest = rest[20..];
        // Each command needs at least 4 bytes, so a count beyond that is corruption, not a huge allocation.
        if (commandCount < 0 || commandCount > rest.Length / 4)
            return false;
        var commands = new byte[commandCount][][];
        for (int c = 0; c < commandCount; c++)
        {
            if (rest.Length < 4)
                return false;
            int argCount = BinaryPrimitives.ReadInt32LittleEndian(rest);
            rest = rest[4..];
            if (argCount <= 0 || argCount > rest.Length / 4)
                return false;
            var args = new byte[argCount][];
            for (int a = 0; a < argCount; a++)
            {
                if (rest.Length < 4)
                    return false;
                int length = BinaryPrimitives.ReadInt32LittleEndian(rest);
                if (length < 0 || length > rest.Length - 4)
                    return false;
                args[a] = rest.Slice(4, length).ToArray();
                rest = rest[(4 + length)..];
            }
            commands[c] = args;
        }
        if (!rest.IsEmpty)
            return false;
        item = new BinlogItem(type, new TransactionId(origin, sequence), timestamp, commands);
        return true;
    }
}
