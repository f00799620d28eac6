using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Node;

/// <summary>A node's role in replication.</summary>
public enum NodeRole
{
    /// <summary>Takes client writes, writes the binlog, streams it to slaves.</summary>
    Master,
    /// <summary>Read-only; receives the master's binlog into its relay log and applies it.</summary>
    Slave,
}

/// <summary>What one node needs to know to run, resolved from configuration.</summary>
/// <param name="NodeId">Unique id; also the origin of the transactions this node writes.</param>
/// <param name="Role">Master or slave.</param>
/// <param name="DataDirectory">The node's own folder: binlog/ (master) or relay/ (slave), and store.db.</param>
/// <param name="SyncBinlog">1: fsync each group before answering; N: every N groups; 0: the OS decides. For a
/// slave this is the relay log's policy (ReplDash:Durability:SyncRelayLog).</param>
/// <param name="BinlogSegmentBytes">Segment rotation size.</param>
/// <param name="CheckpointIntervalMs">How often the SQLite store catches up with memory.</param>
/// <param name="Replication">Link settings (both roles).</param>
/// <param name="Faults">Test-only switches; all off in normal runs.</param>
/// <param name="Retention">When a master purges old binlog segments.</param>
/// <param name="SemiSync">A master's semi-sync settings at start (null: semi-sync off).</param>
/// <param name="ConfiguredSlaves">Slaves configured for this master; with none, semi-sync starts OFF.</param>
public sealed record NodeSettings(string NodeId, NodeRole Role, string DataDirectory, int SyncBinlog, long BinlogSegmentBytes,
    int CheckpointIntervalMs, ReplicationSettings Replication, FaultSettings Faults, RetentionSettings? Retention = null,
    SemiSyncConfig? SemiSync = null, int ConfiguredSlaves = 0)
{
    /// <summary>The master's binlog, or the slave's relay log (which mirrors the master's positions).</summary>
    public string LogDirectory => Path.Combine(DataDirectory, Role == NodeRole.Master ? "binlog" : "relay");

    public string StorePath => Path.Combine(DataDirectory, "store.db");

    /// <summary>The id of the cluster whose data this node holds (<see cref="Storage.ClusterIdFile"/>).</summary>
    public string ClusterIdPath => Path.Combine(DataDirectory, Storage.ClusterIdFile.FileName);

    /// <summary>
    /// For a master: the slave ids it accepts (the slaves configured for it, ReplDash:Replication:AllowedSlaves). A
    /// Hello with any other id is refused, and only these ids' acknowledgements count for semi-sync.
    /// </summary>
    public IReadOnlySet<string> SlaveIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Where bytes cut from the log are copied first (a torn tail, a damaged relay segment). Beside the log, not
    /// in it: a slave's relay folder is deleted by a full resync.
    /// </summary>
    public string QuarantineDirectory => Path.Combine(DataDirectory, "quarantine");

    /// <summary>How many numbered databases the node has (ReplDash:Databases); every node of a cluster needs the same.</summary>
    public int Databases { get; init; } = Core.Keyspace.KeyspaceDatabases.DefaultCount;
}

/// <summary>Replication link settings.</summary>
/// <param name="Secret">Shared secret proven with HMAC in the handshake; never logged.</param>
/// <param name="LinkTimeout">A link with no frame for this long is dropped.</param>
/// <param name="WindowItems">Most items in flight (sent, not acknowledged) per slave.</param>
/// <param name="WindowBytes">Most bytes in flight per slave.</param>
/// <param name="SlowApplyMs">An item whose apply takes longer raises a slow-apply event (early warning for L1).</param>
/// <param name="MasterId">For a slave: the master's node id.</param>
/// <param name="MasterHost">For a slave: where the master's replication listener is.</param>
/// <param name="MasterPort">For a slave: the master's replication port.</param>
/// <param name="AckCoalesceMs">For a slave: how long an ack the master did not ask for at once may wait, so that
/// one relay-log sync and one ack cover several batches (0: acknowledge every batch at once).</param>
/// <param name="HealWaitMs">For a restarted master: how long client writes wait (refused with LOADING) for the configured
/// slaves to report their relay logs, so that one holding the master's lost tail gives it back first (0: no wait).</param>
public sealed record ReplicationSettings(string Secret, TimeSpan LinkTimeout, int WindowItems, long WindowBytes, int SlowApplyMs,
    string? MasterId = null, string? MasterHost = null, int MasterPort = 0, int AckCoalesceMs = ReplicationSettings.DefaultAckCoalesceMs,
    int HealWaitMs = ReplicationSettings.DefaultHealWaitMs)
{
    public const int DefaultAckCoalesceMs = 5;

    /// <summary>Default of ReplDash:Replication:HealWaitMs.</summary>
    public const int DefaultHealWaitMs = 5000;

    public const double DefaultHandshakeTimeoutSeconds = 5;

    /// <summary>
    /// For a master: how long a new connection has to complete the handshake (Hello answered by Welcome) before it
    /// is closed; the link timeout applies only after (ReplDash:Replication:HandshakeTimeoutSeconds).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(DefaultHandshakeTimeoutSeconds);

    /// <summary>
    /// For a slave with ReplDash:Tls:Replication: the link to the master uses TLS, and the master's certificate must
    /// chain to this one and name the host dialled. Null: plain TCP.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? MasterTrust { get; init; }

    public static ReplicationSettings Default { get; } = new("", TimeSpan.FromSeconds(20), 9000, 64L * 1024 * 1024, 1000);
}

/// <summary>Fault switches fixed at start (see FaultOptions). Runtime faults live in <see cref="FaultInjector"/>.</summary>
public sealed record FaultSettings(
    bool UnsafeAnswerBeforeBinlogWrite = false,
    int BinlogWriteDelayMs = 0,
    bool UnsafeFirstAckWithoutDrain = false,
    bool UnsafeAppliedPositionOutsideData = false,
    bool UnsafeSemiSyncVisibleBeforeAck = false,
    bool UnsafeOverwriteSlaveHistory = false,
    bool UnsafeRecoveredTailVisible = false)
{
    public static FaultSettings None { get; } = new();
}

/// <summary>Binlog retention: purge by total size or by age (0 turns a limit off).</summary>
public sealed record RetentionSettings(long MaxBytes, TimeSpan MaxAge)
{
    public static RetentionSettings Default { get; } = new(1024L * 1024 * 1024, TimeSpan.FromHours(168));
}
