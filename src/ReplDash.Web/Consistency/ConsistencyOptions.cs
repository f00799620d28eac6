namespace ReplDash.Web.Consistency;

/// <summary>
/// <c>ReplDash:Consistency</c>: how consistency checks run (docs/CONSISTENCY.md, docs/OPERATIONS.md).
/// </summary>
public sealed class ConsistencyOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ReplDash:Consistency";

    /// <summary>Interval between scheduled checks of every slave ("01:00:00"); empty or zero: no schedule (the default).</summary>
    public string? Schedule { get; set; }

    /// <summary>The schedule's interval, or null when off (or not a valid interval: <see cref="Validate"/> says so).</summary>
    public TimeSpan? ScheduleInterval =>
        TimeSpan.TryParse(Schedule, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero ? interval : null;

    /// <summary>
    /// Time one chunk's digest may take under the node lock (each node holds its lock that long, once per chunk).
    /// Chunks grow or shrink to meet it. Default 10 ms: pt-table-checksum aims at 0.5 s per chunk, but its query does
    /// not stop writes; ours does, so the target is what a write may wait.
    /// </summary>
    public int ChunkTargetMs { get; set; } = 10;

    /// <summary>Buckets in the first chunk of a run (of 4096).</summary>
    public int InitialChunkBuckets { get; set; } = 8;

    /// <summary>Most buckets in one chunk (1 makes 4096 chunks: slow on purpose, for tests).</summary>
    public int MaxChunkBuckets { get; set; } = 512;

    /// <summary>The check pauses while a compared slave has more than this many bytes of binlog not acknowledged, or is not streaming.</summary>
    public long MaxLagBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long to wait for every slave's answer to a marker before writing the chunk's marker again.</summary>
    public int ResultTimeoutMs { get; set; } = 30_000;

    /// <summary>The problems with these settings, empty when none.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(Schedule)
            && (!TimeSpan.TryParse(Schedule, System.Globalization.CultureInfo.InvariantCulture, out var schedule)
                || schedule < TimeSpan.Zero || (schedule > TimeSpan.Zero && schedule < TimeSpan.FromSeconds(1))))
            errors.Add($"{SectionName}:Schedule must be empty, zero (off) or an interval of at least one second (\"01:00:00\"); it is '{Schedule}'");
        if (ChunkTargetMs is < 1 or > 10_000)
            errors.Add($"{SectionName}:ChunkTargetMs must be 1..10000; it is {ChunkTargetMs}");
        if (MaxChunkBuckets is < 1 or > 4096)
            errors.Add($"{SectionName}:MaxChunkBuckets must be 1..4096; it is {MaxChunkBuckets}");
        if (InitialChunkBuckets < 1 || InitialChunkBuckets > MaxChunkBuckets)
            errors.Add($"{SectionName}:InitialChunkBuckets must be 1..MaxChunkBuckets; it is {InitialChunkBuckets}");
        if (MaxLagBytes < 0)
            errors.Add($"{SectionName}:MaxLagBytes must not be negative; it is {MaxLagBytes}");
        if (ResultTimeoutMs is < 100 or > 3_600_000)
            errors.Add($"{SectionName}:ResultTimeoutMs must be 100..3600000; it is {ResultTimeoutMs}");
        return errors;
    }
}
