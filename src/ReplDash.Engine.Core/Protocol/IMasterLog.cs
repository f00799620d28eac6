using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// The master's binlog as the machine reads it, implemented by the driver (as etcd raft's Storage): items the
/// driver appended on the machine's word, served from memory when recent and from the files for catch-up. Reads
/// are synchronous and never beyond what the machine asks for; the machine never writes through it.
/// </summary>
public interface IMasterLog
{
    /// <summary>
    /// Consecutive whole items from <paramref name="from"/> (an item boundary) up to <paramref name="upTo"/>, at most
    /// <paramref name="maxItems"/> items and (after the first) <paramref name="maxBytes"/> bytes.
    /// </summary>
    IReadOnlyList<ShippedItem> Read(BinlogPosition from, BinlogPosition upTo, int maxItems, long maxBytes);

    /// <summary>Logical offset (bytes of items before it) of an item boundary.</summary>
    long LogicalOffsetOf(BinlogPosition position);

    /// <summary>What TrySync needs to judge a slave's position, with the log durable up to <paramref name="durableEnd"/>.</summary>
    MasterBinlogView View(BinlogPosition durableEnd, long lastSequence);

    /// <summary>
    /// Where the next item goes when the binlog ends at <paramref name="end"/>: there, or at the first item of the next
    /// segment file once the current one is full (the binlog writer's rotation rule: BinlogWriter rotates once a
    /// segment reaches its size). Positions then jump to the next file's header.
    /// </summary>
    BinlogPosition NextItemStart(BinlogPosition end) => end;
}
