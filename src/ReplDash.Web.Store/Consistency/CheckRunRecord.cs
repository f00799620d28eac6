namespace ReplDash.Web.Store.Consistency;

/// <summary>Where a check run stands.</summary>
public static class CheckRunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// One consistency-check run (docs/CONSISTENCY.md): its scope, progress (so it continues after a restart from the last
/// finished chunk), counts and outcome. Updated after every finished chunk, together with that chunk's findings.
/// </summary>
public sealed class CheckRunRecord
{
    /// <summary>Run id.</summary>
    public long Id { get; set; }

    /// <summary>When it was started.</summary>
    public DateTime StartedUtc { get; set; }

    /// <summary>When it ended (null while running).</summary>
    public DateTime? EndedUtc { get; set; }

    /// <summary>Who or what started it ("REST client 127.0.0.1", "schedule", "repair of run 4").</summary>
    public string StartedBy { get; set; } = "";

    /// <summary><see cref="CheckRunStatus"/>.</summary>
    public string Status { get; set; } = CheckRunStatus.Running;

    /// <summary>One line for people: "clean", "3 keys differ on s1", why it failed.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The master that wrote the markers.</summary>
    public string MasterId { get; set; } = "";

    /// <summary>Slaves compared, comma-separated.</summary>
    public string Nodes { get; set; } = "";

    /// <summary>Buckets in scope: "from-to" ranges (end exclusive), comma-separated; "0-4096" is everything.</summary>
    public string BucketRanges { get; set; } = "";

    /// <summary>Every bucket in scope below this is finished (the restart point).</summary>
    public int NextBucket { get; set; }

    /// <summary>Buckets in scope.</summary>
    public int BucketsTotal { get; set; }

    /// <summary>Buckets finished.</summary>
    public int BucketsDone { get; set; }

    /// <summary>Markers written so far (also the next marker's chunk number, so numbers never repeat after a restart).</summary>
    public int MarkersIssued { get; set; }

    /// <summary>Chunks finished.</summary>
    public int ChunksDone { get; set; }

    /// <summary>Keys compared (the master's keys in finished chunks).</summary>
    public long KeysCompared { get; set; }

    /// <summary>Chunks whose digest differed on at least one slave.</summary>
    public int DifferingChunks { get; set; }

    /// <summary>Differing (key, slave) pairs found.</summary>
    public int DifferingKeys { get; set; }

    /// <summary>Binlog position of the first marker ("file:offset").</summary>
    public string? FirstMarkerPosition { get; set; }

    /// <summary>Binlog position after the last marker ("file:offset").</summary>
    public string? LastMarkerPosition { get; set; }

    /// <summary>The run this one re-checks after a repair.</summary>
    public long? RepairOfRunId { get; set; }

    /// <summary>The re-check run started after this run's repair.</summary>
    public long? RecheckRunId { get; set; }

    /// <summary>When this run's differences were repaired, and by whom.</summary>
    public DateTime? RepairedUtc { get; set; }

    /// <summary>Who asked for the repair.</summary>
    public string? RepairedBy { get; set; }

    /// <summary>The differing keys found.</summary>
    public List<CheckFindingRecord> Findings { get; set; } = new();
}
