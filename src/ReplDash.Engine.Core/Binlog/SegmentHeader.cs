using System.Buffers.Binary;

namespace ReplDash.Engine.Core.Binlog;

/// <summary>The header of one segment file (layout in <see cref="BinlogFormat"/>).</summary>
public readonly record struct SegmentHeader(long StartLogicalOffset)
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
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], Crc32C.Compute(destination[..24]));
    }

    /// <summary>Reads a header; false when the bytes are not a valid header of a known version.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SegmentHeader header)
    {
        header = default;
        if (source.Length < BinlogFormat.SegmentHeaderSize
            || !source[..8].SequenceEqual(BinlogFormat.SegmentMagic)
            || BinaryPrimitives.ReadUInt32LittleEndian(source[8..]) != BinlogFormat.FormatVersion
            || BinaryPrimitives.ReadUInt32LittleEndian(source[12..]) != BinlogFormat.SegmentHeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(source[24..]) != Crc32C.Compute(source[..24]))
            return false;
        header = new SegmentHeader(BinaryPrimitives.ReadInt64LittleEndian(source[16..]));
        return true;
    }
}
