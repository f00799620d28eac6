namespace ReplDash.Engine.Core.Binlog;

/// <summary>Kinds of binlog items. Only transactions exist today; the byte leaves room for more.</summary>
public enum BinlogItemType : byte
{
    /// <summary>The write commands of one transaction, applied all or nothing.</summary>
    Transaction = 1,
}

/// <summary>
/// One binlog item: a transaction's identity, the master's time when it was written, and its commands in
/// their replayable form (see CommandContext.Effects).
/// </summary>
public sealed record BinlogItem(BinlogItemType Type, TransactionId Id, long TimestampMs, IReadOnlyList<byte[][]> Commands);
