using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Replication;

/// <summary>What the master knows about its binlog when it judges a TrySync.</summary>
/// <param name="RetainedStart">First position still on disk.</param>
/// <param name="StartsAtBeginning">True when nothing was ever purged (the binlog starts at its very first item).</param>
/// <param name="DurableEnd">Where the durable binlog ends.</param>
/// <param name="IsItemBoundary">Whether an item starts at a position (or the log ends there).</param>
/// <param name="IdBefore">The transaction id of the item that ends at a boundary position (None at the start).</param>
/// <param name="DamagedThrough">The binlog before this position is damaged and never shipped (Zero: no damage).</param>
public sealed record MasterBinlogView(
    BinlogPosition RetainedStart,
    bool StartsAtBeginning,
    BinlogPosition DurableEnd,
    Func<BinlogPosition, bool> IsItemBoundary,
    Func<BinlogPosition, TransactionId> IdBefore,
    BinlogPosition DamagedThrough = default);

/// <summary>
/// Decides a TrySync (docs/REPLICATION-PROTOCOL.md). Streaming continues only from a real item boundary that
/// the master still holds and whose previous transaction is the one the slave holds; anything else leads
/// to a full resync, never to a stream starting in the middle of an item (lesson L1).
/// </summary>
public static class TrySyncRules
{
    public static TrySyncReply Decide(TrySync request, MasterBinlogView binlog)
    {
        var position = request.Received;
        if (request.FullResyncRequested)
            return new TrySyncReply(TrySyncOutcome.FullResync, binlog.DurableEnd, "full resync requested by the slave's operator");
        // Like a purged position: the items this slave needs next (or the one that proves its history) are damaged.
        // Up to and including the mark: the item before it, which IdBefore would read, may be the damaged one.
        if (binlog.DamagedThrough != BinlogPosition.Zero && position <= binlog.DamagedThrough)
            return new TrySyncReply(TrySyncOutcome.FullResync, binlog.DurableEnd,
                $"binlog damaged: position {position} needs the master's binlog before {binlog.DamagedThrough}, which is damaged");
        if (position == BinlogPosition.Zero)
            return binlog.StartsAtBeginning
                ? new TrySyncReply(TrySyncOutcome.Continue, binlog.RetainedStart, "new slave: streaming the whole binlog")
                : new TrySyncReply(TrySyncOutcome.FullResync, binlog.DurableEnd, "new slave and the binlog start is purged");
        if (position < binlog.RetainedStart)
            return new TrySyncReply(TrySyncOutcome.FullResync, binlog.DurableEnd, $"position {position} is purged (binlog starts at {binlog.RetainedStart})");
        if (position > binlog.DurableEnd)
            return new TrySyncReply(TrySyncOutcome.FullResync, binlog.DurableEnd, $"position {position} is beyond the master's durable end {binlog.DurableEnd}");
        if (!binlog.IsItemBoundary(position))
            return new TrySyncReply(TrySyncOutcome.NotBoundary, binlog.DurableEnd, $"offset {position} is not a start point of the master's binlog");
        var before = binlog.IdBefore(position);
        if (before != request.LastReceived)
            return new TrySyncReply(TrySyncOutcome.FullResync, binlog.DurableEnd,
                $"the slave's last transaction {request.LastReceived} is not the master's {before} at {position}: another history");
        return new TrySyncReply(TrySyncOutcome.Continue, position, "continuing");
    }
}
