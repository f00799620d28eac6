namespace ReplDash.Engine.Core.Binlog;

/// <summary>
/// Kinds of binlog items. Both share one body layout (docs/BINLOG-FORMAT.md); the type says what the commands mean.
/// A binlog without check markers is byte-identical to one written before they existed.
/// </summary>
public enum BinlogItemType : byte
{
    /// <summary>The write commands of one transaction, applied all or nothing.</summary>
    Transaction = 1,

    /// <summary>
    /// A consistency check's marker (<see cref="Consistency.CheckMarker"/>): changes no data; every node computes the
    /// digest of one chunk of the keyspace when it reaches it.
    /// </summary>
    CheckMarker = 2,

    /// <summary>
    /// A PUBLISH (<see cref="PubSub.PublishItem"/>): changes no data; a slave delivers the message to its own
    /// subscribers when it applies the item, and replay after a restart skips it.
    /// </summary>
    Publish = 3,
}

/// <summary>
/// One binlog item: a transaction's identity, the master's time when it was written, and its commands in
/// their replayable form (see CommandContext.Effects).
/// </summary>
public sealed record BinlogItem(BinlogItemType Type, TransactionId Id, long TimestampMs, IReadOnlyList<byte[][]> Commands);
