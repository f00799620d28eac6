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
    public FaultOptions Faults { get; set; } = new();

    /// <summary>When set, RESP clients must AUTH with it first. Never logged.</summary>
    public string? RequirePass { get; set; }

    /// <summary>The nodes this process hosts.</summary>
    public List<NodeOptions> Nodes { get; set; } = new();
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
}
