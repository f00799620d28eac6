namespace ReplDash.Engine.Core.Replication;

/// <summary>Codes of the <see cref="ErrorMessage"/> frames a master sends before it closes a link (docs/REPLICATION-PROTOCOL.md).</summary>
public static class ReplicationErrorCodes
{
    /// <summary>
    /// An item failed its checksum when read for shipping. The master marks the damaged range, so the slave's next
    /// TrySync is answered with a full resync; the message names the file and offset.
    /// </summary>
    public const string BinlogDamaged = "BINLOG_DAMAGED";

    /// <summary>The master node is in state failed and takes no slave until it is restarted; the message says why.</summary>
    public const string NodeFailed = "NODE_FAILED";
}
