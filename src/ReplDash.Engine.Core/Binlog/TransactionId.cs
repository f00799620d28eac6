namespace ReplDash.Engine.Core.Binlog;

/// <summary>
/// GTID-style identity of one binlog transaction: the node where it was first written and its sequence
/// number there (1, 2, 3...). Printed as <c>m1:42</c>.
/// </summary>
public readonly record struct TransactionId(string Origin, long Sequence)
{
    /// <summary>Longest origin id in bytes (ASCII).</summary>
    public const int MaxOriginBytes = 64;

    /// <summary>No transaction yet.</summary>
    public static TransactionId None => new("", 0);

    public override string ToString() => $"{Origin}:{Sequence}";
}
