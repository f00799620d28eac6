namespace ReplDash.Engine.Core.Binlog;

/// <summary>
/// A place in a node's binlog: the segment file number (binlog.000001 is 1) and the byte offset in that
/// file. A position is an item boundary when an item starts there (or the log ends there).
/// </summary>
public readonly record struct BinlogPosition(long FileNumber, long Offset) : IComparable<BinlogPosition>
{
    /// <summary>Before anything was ever written.</summary>
    public static BinlogPosition Zero => new(0, 0);

    public int CompareTo(BinlogPosition other) =>
        FileNumber != other.FileNumber ? FileNumber.CompareTo(other.FileNumber) : Offset.CompareTo(other.Offset);

    public static bool operator <(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) >= 0;

    /// <summary>The later of two positions.</summary>
    public static BinlogPosition Max(BinlogPosition a, BinlogPosition b) => a >= b ? a : b;

    /// <summary>The earlier of two positions.</summary>
    public static BinlogPosition Min(BinlogPosition a, BinlogPosition b) => a <= b ? a : b;

    /// <summary>As operators read it: <c>binlog.000001:4096</c>.</summary>
    public override string ToString() => $"{BinlogFileNames.SegmentName(FileNumber)}:{Offset}";
}
