using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Storage;

/// <summary>
/// What the stored data reflects: every binlog item before <paramref name="Position"/> is in it, the last
/// one being <paramref name="LastTransactionId"/>. Written in the same SQLite transaction as the data.
/// </summary>
public sealed record AppliedState(BinlogPosition Position, long LogicalOffset, TransactionId LastTransactionId)
{
    /// <summary>A store that never checkpointed.</summary>
    public static AppliedState Empty { get; } = new(BinlogPosition.Zero, 0, TransactionId.None);
}
