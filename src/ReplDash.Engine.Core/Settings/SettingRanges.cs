namespace ReplDash.Engine.Core.Settings;

/// <summary>
/// The one table of numeric settings and their ranges. The start-up validator, CONFIG SET and the REST API all
/// check values against these rows, and docs/OPERATIONS.md ("Ranges") prints the same table. A bound is chosen so
/// that every value inside it works: no timer, deadline or buffer size built from it can overflow.
/// </summary>
public static class SettingRanges
{
    /// <summary>MySQL's own maximum for rpl_semi_sync_master_timeout (2^32 - 1 ms, about 49.7 days).</summary>
    public const long MaxSemiSyncTimeoutMs = 4_294_967_295;

    // Run-time settings (CONFIG SET rpl_semi_sync_master_*, PUT /api/nodes/{id}/semisync), also read at start.

    public static readonly SettingRange SemiSyncTimeoutMs = new("ReplDash:SemiSync:TimeoutMs", "rpl_semi_sync_master_timeout",
        1, MaxSemiSyncTimeoutMs, "ms",
        "MySQL's maximum (about 49.7 days); 0 would switch semi-sync OFF at the first write: set rpl_semi_sync_master_enabled OFF instead");

    public static readonly SettingRange SemiSyncWaitForSlaveCount = new("ReplDash:SemiSync:WaitForSlaveCount",
        "rpl_semi_sync_master_wait_for_slave_count", 1, 65_535, "",
        "MySQL's range; also at most the slaves configured for the master");

    public static readonly SettingRange SemiSyncTraceLevel = new("ReplDash:SemiSync:TraceLevel", "rpl_semi_sync_master_trace_level",
        0, 113, "", "a sum of the bits 1, 16, 32 and 64 (other bits are refused)");

    // Start-up settings (appsettings.json, environment, command line).

    public static readonly SettingRange Port = new("port", null, 1, 65_535, "", "a TCP port");

    public static readonly SettingRange SyncBinlog = new("ReplDash:Durability:SyncBinlog", null, 0, 1_000_000, "groups",
        "0: the OS decides, 1: every group, N: every N groups");

    public static readonly SettingRange SyncRelayLog = new("ReplDash:Durability:SyncRelayLog", null, 0, 1_000_000, "groups",
        "as SyncBinlog, for a slave's relay log");

    public static readonly SettingRange BinlogSegmentBytes = new("ReplDash:Durability:BinlogSegmentBytes", null, 4096, 1L << 30, "bytes",
        "positions inside a segment are 32-bit; 1 GiB leaves room for the item that crosses the limit");

    public static readonly SettingRange CheckpointIntervalMs = new("ReplDash:Durability:CheckpointIntervalMs", null, 1, 86_400_000, "ms",
        "up to a day; a longer interval only lengthens the replay at start");

    public static readonly SettingRange BinlogRetentionBytes = new("ReplDash:Durability:BinlogRetentionBytes", null, 0, 1L << 50, "bytes",
        "0: no size limit; at most 1 PiB");

    public static readonly SettingRange BinlogRetentionHours = new("ReplDash:Durability:BinlogRetentionHours", null, 0, 87_600, "h",
        "0: no age limit; at most ten years");

    public static readonly SettingRange MaxBulkBytes = new("ReplDash:Limits:MaxBulkBytes", null, 1, 1L << 30, "bytes",
        "one argument is held in memory whole: at most 1 GiB");

    public static readonly SettingRange MaxArguments = new("ReplDash:Limits:MaxArguments", null, 1, 16_777_216, "",
        "the argument array of a command is allocated at its announced size");

    public static readonly SettingRange MaxInlineBytes = new("ReplDash:Limits:MaxInlineBytes", null, 16, 64L << 20, "bytes",
        "an inline command line is buffered whole: at most 64 MiB");

    public static readonly SettingRange MaxClients = new("ReplDash:Limits:MaxClients", null, 1, 1_000_000, "", "connected clients, all nodes");

    public static readonly SettingRange LinkTimeoutSeconds = new("ReplDash:Replication:LinkTimeoutSeconds", null, 0.1, 86_400, "s",
        "heartbeats go out every third of it; at most a day, so every timer built from it is valid");

    public static readonly SettingRange HandshakeTimeoutSeconds = new("ReplDash:Replication:HandshakeTimeoutSeconds", null, 0.1, 300, "s",
        "a handshake is three small frames; minutes would only let idle unauthenticated connections pile up");

    public static readonly SettingRange SyncWindowItems = new("ReplDash:Replication:SyncWindowItems", null, 1, 1_000_000, "items",
        "items in flight per slave, each remembered until acknowledged");

    public static readonly SettingRange SyncWindowBytes = new("ReplDash:Replication:SyncWindowBytes", null, 1, 1L << 32, "bytes",
        "bytes in flight per slave; an empty window always takes one item, however large");

    public static readonly SettingRange SlowApplyMs = new("ReplDash:Replication:SlowApplyMs", null, 1, 86_400_000, "ms",
        "an apply slower than this raises a slow-apply event");

    public static readonly SettingRange AckCoalesceMs = new("ReplDash:Replication:AckCoalesceMs", null, 0, 60_000, "ms",
        "an ack held back longer than a minute would leave the acked position stale for no gain");

    public static readonly SettingRange HealWaitMs = new("ReplDash:Replication:HealWaitMs", null, 0, 600_000, "ms",
        "a restarted master refusing writes for more than ten minutes is an outage, not a wait");

    public static readonly SettingRange Databases = new("ReplDash:Databases", null, 1, 1024, "",
        "Redis's numbered databases (SELECT 0 .. n-1); each costs about 40 KiB empty; every node of a cluster needs the same number");

    public static readonly SettingRange BinlogWriteDelayMs = new("ReplDash:Faults:BinlogWriteDelayMs", null, 0, 60_000, "ms",
        "test fault: a pause before each group write");

    // Consistency checks (ReplDash:Consistency, docs/CONSISTENCY.md).

    public static readonly SettingRange ConsistencyChunkTargetMs = new("ReplDash:Consistency:ChunkTargetMs", null, 1, 10_000, "ms",
        "how long one chunk's capture may hold a node's lock; above 10 s a write would wait longer than any client timeout");

    public static readonly SettingRange ConsistencyInitialChunkBuckets = new("ReplDash:Consistency:InitialChunkBuckets", null, 1, 4096, "buckets",
        "of the 4096 buckets; also at most MaxChunkBuckets");

    public static readonly SettingRange ConsistencyMaxChunkBuckets = new("ReplDash:Consistency:MaxChunkBuckets", null, 1, 4096, "buckets",
        "of the 4096 buckets; 1 makes 4096 chunks (slow on purpose, for tests)");

    public static readonly SettingRange ConsistencyChunksInFlight = new("ReplDash:Consistency:ChunksInFlight", null, 1, 16, "chunks",
        "digest markers written and not yet answered; each holds a captured chunk in memory on every node");

    public static readonly SettingRange ConsistencyBusySharePercent = new("ReplDash:Consistency:BusySharePercent", null, 1, 100, "%",
        "share of the time a check works while the master takes writes; 100: it never gives way");

    public static readonly SettingRange ConsistencyMaxLagBytes = new("ReplDash:Consistency:MaxLagBytes", null, 0, 1L << 50, "bytes",
        "0: no new marker while a slave has anything unacknowledged; at most 1 PiB");

    public static readonly SettingRange ConsistencyResultTimeoutMs = new("ReplDash:Consistency:ResultTimeoutMs", null, 100, 3_600_000, "ms",
        "below 100 ms a busy slave's answer would be taken for a lost one; above an hour a lost answer stalls the check");

    // Sign-in limits (ReplDash:Security, docs/SECURITY.md).

    public static readonly SettingRange SecurityMaxFailedSignIns = new("ReplDash:Security:MaxFailedSignIns", null, 1, 100, "",
        "wrong passwords in a row before an account is locked; beyond 100 the lockout would hardly slow a guesser");

    public static readonly SettingRange SecurityLockoutMinutes = new("ReplDash:Security:LockoutMinutes", null, 1, 1440, "min",
        "how long a locked account stays locked; at most a day, after which an Operator's reset is the better remedy");

    public static readonly SettingRange SecuritySignInsPerMinute = new("ReplDash:Security:SignInsPerMinute", null, 1, 1000, "",
        "sign-in posts per client address per minute (429 beyond); 1000 is far more than any person types");

    public static readonly SettingRange SecurityMinPasswordLength = new("ReplDash:Security:MinPasswordLength", null, 8, 256, "characters",
        "NIST SP 800-63B's minimum is 8; at most the longest password accepted (256)");

    /// <summary>Every row, in the order of docs/OPERATIONS.md.</summary>
    public static IReadOnlyList<SettingRange> All { get; } =
    [
        SemiSyncTimeoutMs, SemiSyncWaitForSlaveCount, SemiSyncTraceLevel,
        Port, SyncBinlog, SyncRelayLog, BinlogSegmentBytes, CheckpointIntervalMs, BinlogRetentionBytes, BinlogRetentionHours,
        MaxBulkBytes, MaxArguments, MaxInlineBytes, MaxClients, Databases,
        LinkTimeoutSeconds, HandshakeTimeoutSeconds, SyncWindowItems, SyncWindowBytes, SlowApplyMs, AckCoalesceMs, HealWaitMs, BinlogWriteDelayMs,
        ConsistencyChunkTargetMs, ConsistencyInitialChunkBuckets, ConsistencyMaxChunkBuckets, ConsistencyChunksInFlight, ConsistencyBusySharePercent,
        ConsistencyMaxLagBytes,
        ConsistencyResultTimeoutMs,
        SecurityMaxFailedSignIns, SecurityLockoutMinutes, SecuritySignInsPerMinute, SecurityMinPasswordLength,
    ];
}
