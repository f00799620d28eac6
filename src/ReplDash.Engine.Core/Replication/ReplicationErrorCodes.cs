namespace ReplDash.Engine.Core.Replication;

/// <summary>Codes of the <see cref="ErrorMessage"/> frames a master sends before it closes a link (docs/REPLICATION-PROTOCOL.md).</summary>
public static class ReplicationErrorCodes
{
    /// <summary>
    /// An item failed its checksum when read for shipping. The master marks the damaged range, so the slave's next
    /// TrySync is answered with a full resync; the message names the file and offset.
    /// </summary>
    public const string BinlogDamaged = "BINLOG_DAMAGED";

    /// <summary>
    /// The handshake is refused: wrong version, master id or secret, a slave id the master's configuration does not
    /// name or that another link holds, a frame too large before authentication, or no handshake in time.
    /// </summary>
    public const string Refused = "REFUSED";

    /// <summary>
    /// The slave holds another cluster's data (its cluster id is not the master's). The slave keeps its data and stops
    /// linking until an operator asks for a full resync, as for diverged history.
    /// </summary>
    public const string ClusterMismatch = "CLUSTER_MISMATCH";

    /// <summary>The master node is in state failed and takes no slave until it is restarted; the message says why.</summary>
    public const string NodeFailed = "NODE_FAILED";
}
