using System.Buffers.Binary;

namespace ReplDash.Engine.Core.Binlog;

/// <summary>
/// The header of one segment file (layout in <see cref="BinlogFormat"/>). A master's segments start their
/// items right after the header; a slave's relay segment mirrors the master's positions and may start
/// mid-file (after a full resync), hence <see cref="FirstItemOffset"/>.
/// </summary>
public readonly record struct SegmentHeader(long StartLogicalOffset, int FirstItemOffset = BinlogFormat.SegmentHeaderSize)
{
    /// <summary>Writes the 32 header bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination = destination[..BinlogFormat.SegmentHeaderSize];
        destination.Clear();
        BinlogFormat.SegmentMagic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], BinlogFormat.FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], BinlogFormat.SegmentHeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], StartLogicalOffset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], FirstItemOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Reads a header; false when the bytes are not a valid header of a known version.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SegmentHeader header)
    {
        header = default;
        if (source.Length < BinlogFormat.SegmentHeaderSize
            || !source[..8].SequenceEqual(BinlogFormat.SegmentMagic)
            || BinaryPrimitives.ReadUInt32LittleEndian(source[8..]) != BinlogFormat.FormatVersion
            || BinaryPrimitives.ReadUInt32LittleEndian(source[12..]) != BinlogFormat.SegmentHeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
            return false;
        int first = BinaryPrimitives.ReadInt32LittleEndian(source[24..]);
        if (first < BinlogFormat.SegmentHeaderSize)
            return false;
        header = new SegmentHeader(BinaryPrimitives.ReadInt64LittleEndian(source[16..]), first);
        return true;
    }
}
