namespace ReplDash.Engine.Configuration;

/// <summary>The <c>ReplDash</c> configuration section (documented in docs/OPERATIONS.md).</summary>
public sealed class ReplDashOptions
{
    public const string SectionName = "ReplDash";

    /// <summary>Root of all durable state; each node gets <c>&lt;DataDir&gt;/&lt;node id&gt;/</c>. Relative paths are under the content root.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>Address every listener binds to. Loopback unless an operator decides otherwise.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public HttpOptions Http { get; set; } = new();
    public DurabilityOptions Durability { get; set; } = new();
    public LimitsOptions Limits { get; set; } = new();
    public ReplicationOptions Replication { get; set; } = new();
    public SemiSyncOptions SemiSync { get; set; } = new();
    public FaultOptions Faults { get; set; } = new();

    /// <summary>
    /// When set, this process hosts only the nodes with these ids (comma-separated; "s1" for one node per
    /// process, the others in <see cref="Nodes"/> being peers elsewhere). Empty: host every node listed.
    /// </summary>
    public string? Node { get; set; }

    /// <summary>When set, RESP clients must AUTH with it first (every node without a password of its own). Never logged.</summary>
    public string? RequirePass { get; set; }

    /// <summary>How many numbered databases each node has (SELECT 0 .. Databases - 1; Redis's default is 16).</summary>
    public int Databases { get; set; } = ReplDash.Engine.Core.Keyspace.KeyspaceDatabases.DefaultCount;
    /// <summary>
    /// Redis's protected mode: a node without a password (its own or <see cref="RequirePass"/>) accepts RESP clients
    /// from loopback addresses only.
    /// </summary>
    public bool ProtectedMode { get; set; } = true;

    /// <summary>The nodes this process hosts.</summary>
    public List<NodeOptions> Nodes { get; set; } = new();

    /// <summary>TLS for the dashboard, the RESP listeners and replication (off by default).</summary>
    public TlsOptions Tls { get; set; } = new();
}

/// <summary>The dashboard's HTTP endpoint.</summary>
public sealed class HttpOptions
{
    public int Port { get; set; } = 5000;
}

/// <summary>How hard the node works to keep acknowledged writes.</summary>
public sealed class DurabilityOptions
{
    /// <summary>1: fsync every group commit before answering; N: every N groups; 0: leave syncing to the OS.</summary>
    public int SyncBinlog { get; set; } = 1;

    /// <summary>A binlog segment file is closed and the next one started at this size.</summary>
    public long BinlogSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often changed keys and their binlog position are written to the node's SQLite store.</summary>
    public int CheckpointIntervalMs { get; set; } = 200;

    /// <summary>A slave's relay log: 1 = fsync before acknowledging (default), N = every N groups, 0 = the OS decides.</summary>
    public int SyncRelayLog { get; set; } = 1;

    /// <summary>
    /// A master purges its oldest binlog segments once the binlog is larger than this... (0 = no size limit).
    /// Never what a connected slave, a running full resync or the node's own recovery still needs.
    /// </summary>
    public long BinlogRetentionBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>...or once a segment is older than this many hours (0 = no age limit).</summary>
    public double BinlogRetentionHours { get; set; } = 168;
}

/// <summary>The replication link between a master and its slaves.</summary>
public sealed class ReplicationOptions
{
    /// <summary>
    /// The secret appsettings.json ships with: fine on one machine, refused by the validator as soon as a replication
    /// listener or a slave's master is outside loopback (anyone who read the repository knows it).
    /// </summary>
    public const string ShippedDefaultSecret = "local-dev-secret-change-me";

    /// <summary>Shared secret; a slave proves it knows it (HMAC of a nonce). Required when any slave is configured. Never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// Slave ids (comma-separated) every master hosted here accepts besides the slaves <see cref="ReplDashOptions.Nodes"/>
    /// names for it: for a master whose configuration does not list its slaves (one node per process). A slave id
    /// in neither is refused at the handshake.
    /// </summary>
    public string? AllowedSlaves { get; set; }

    /// <summary>
    /// A connection that has not completed the handshake (Greeting, Hello, Welcome) this long after it was
    /// accepted is closed. Short, as an unauthenticated peer deserves; the link timeout applies after.
    /// </summary>
    public double HandshakeTimeoutSeconds { get; set; } = ReplDash.Engine.Node.ReplicationSettings.DefaultHandshakeTimeoutSeconds;

    /// <summary>A link silent for this long is dropped; the slave reconnects with capped backoff.</summary>
    public double LinkTimeoutSeconds { get; set; } = 20;

    /// <summary>Most binlog items sent and not yet acknowledged, per slave.</summary>
    public int SyncWindowItems { get; set; } = 9000;

    /// <summary>Most bytes sent and not yet acknowledged, per slave.</summary>
    public long SyncWindowBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>An item that takes longer than this to apply on a slave raises a slow-apply event.</summary>
    public int SlowApplyMs { get; set; } = 1000;

    /// <summary>
    /// How long a slave may hold back an ack the master did not ask for at once (semi-sync disabled, no WAIT,
    /// window less than half full), so one relay-log sync and one ack cover several batches. 0: ack every batch.
    /// </summary>
    public int AckCoalesceMs { get; set; } = ReplDash.Engine.Node.ReplicationSettings.DefaultAckCoalesceMs;

    /// <summary>
    /// A restarted master with configured slaves refuses client writes (LOADING) until every configured slave has
    /// reported its relay log in TrySync, or this many milliseconds have passed, so that a slave holding items the
    /// master lost can give them back before new writes fork history (lesson L5). 0: no wait.
    /// </summary>
    public int HealWaitMs { get; set; } = ReplDash.Engine.Node.ReplicationSettings.DefaultHealWaitMs;
}

/// <summary>
/// Semi-synchronous replication of every master (docs/REPLICATION.md): each can be changed at run time with
/// CONFIG SET rpl_semi_sync_master_* or PUT /api/nodes/{id}/semisync.
/// </summary>
public sealed class SemiSyncOptions
{
    /// <summary>Writes wait for slaves' acknowledgements (rpl_semi_sync_master_enabled).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>"AfterSync" (lossless, default: visible and answered only once acknowledged) or "AfterCommit" (visible once durable; only the writer waits).</summary>
    public string WaitPoint { get; set; } = "AfterSync";

    /// <summary>Slaves that must acknowledge each transaction (rpl_semi_sync_master_wait_for_slave_count).</summary>
    public int WaitForSlaveCount { get; set; } = 1;

    /// <summary>How long a write waits for its acknowledgements before semi-sync switches OFF (rpl_semi_sync_master_timeout).</summary>
    public long TimeoutMs { get; set; } = 10_000;

    /// <summary>Trace bit flags: 1 general, 16 detail (every wait), 32 net wait (every ack), 64 function.</summary>
    public int TraceLevel { get; set; }
}

/// <summary>Limits on what clients may send; past one a client gets an error and is disconnected.</summary>
public sealed class LimitsOptions
{
    public int MaxBulkBytes { get; set; } = 64 * 1024 * 1024;
    public int MaxArguments { get; set; } = 1024 * 1024;
    public int MaxInlineBytes { get; set; } = 64 * 1024;
    public int MaxClients { get; set; } = 10000;
}

/// <summary>One hosted node.</summary>
public sealed class NodeOptions
{
    /// <summary>Unique id (letters, digits, '-', '_'; at most 64): m1, s1...</summary>
    public string Id { get; set; } = "";

    /// <summary>"master" (slaves come with replication).</summary>
    public string Role { get; set; } = "master";

    /// <summary>Redis-protocol port on the bind address.</summary>
    public int RespPort { get; set; }

    /// <summary>For a master: the port slaves connect to (0 = no replication listener).</summary>
    public int ReplicationPort { get; set; }

    /// <summary>For a slave: the id of its master in <see cref="ReplDashOptions.Nodes"/>.</summary>
    public string? Master { get; set; }

    /// <summary>For a slave whose master runs elsewhere: "host:port" of the master's replication listener (overrides <see cref="Master"/>'s port).</summary>
    public string? MasterAddress { get; set; }

    /// <summary>This node's RESP password (Redis's requirepass); unset: <see cref="ReplDashOptions.RequirePass"/>. Never logged.</summary>
    public string? Password { get; set; }
}

/// <summary>
/// Fault switches for tests that prove a guarantee by breaking it on purpose. Nothing here takes effect
/// unless <see cref="Enabled"/> is true; never enable it in production.
/// </summary>
public sealed class FaultOptions
{
    public bool Enabled { get; set; }

    /// <summary>
    /// UNSAFE: answer a write as soon as it is in the in-memory binlog group, before it is written or
    /// synced. Exists only so the durability test can show it catches lost acknowledged writes.
    /// </summary>
    public bool UnsafeAnswerBeforeBinlogWrite { get; set; }

    /// <summary>Sleep this long before writing each binlog group, as a very slow disk would (0 = off).</summary>
    public int BinlogWriteDelayMs { get; set; }

    /// <summary>
    /// UNSAFE (Pika's bug, lesson L1): on reconnect a slave reports its applied position at once, without
    /// draining the apply in flight, and applies whatever the master resends.
    /// </summary>
    public bool UnsafeFirstAckWithoutDrain { get; set; }

    /// <summary>
    /// UNSAFE (MySQL's crash-unsafe replica, lesson L3): a slave records its applied position in a separate
    /// file as it applies, and trusts that file after a restart instead of the position stored with the data.
    /// </summary>
    public bool UnsafeAppliedPositionOutsideData { get; set; }

    /// <summary>
    /// UNSAFE (lesson L4): under AfterSync, make a write visible to other clients as soon as it is durable on the
    /// master, before any slave acknowledged it. Exists only so the visibility test can show it catches this.
    /// </summary>
    public bool UnsafeSemiSyncVisibleBeforeAck { get; set; }

    /// <summary>
    /// UNSAFE (lesson L5): a master fully resyncs a slave that holds more than it (or another history) back to its own
    /// shorter history, and serves writes at once after a restart, as the engine did before. Exists only so the tail
    /// recovery test can show it catches the lost acknowledged write.
    /// </summary>
    public bool UnsafeOverwriteSlaveHistory { get; set; }

    /// <summary>
    /// UNSAFE (lesson L4 after a crash, MySQL's committed prepared tail): a restarted master counts its whole recovered
    /// binlog as committed, so writes no slave acknowledged become readable at once. Exists only so the recovered-tail
    /// test can show it catches this.
    /// </summary>
    public bool UnsafeRecoveredTailVisible { get; set; }
}
