using ReplDash.Engine.Core.Settings;
using ReplDash.Web.Configuration;

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
    /// Time one chunk's capture may hold the node lock (each node holds its lock that long, once per chunk; the digest
    /// itself is computed afterwards, outside the lock). Chunks grow or shrink to meet it. Default 10 ms:
    /// pt-table-checksum aims at 0.5 s per chunk, but its query does not stop writes; our capture does, so the target is
    /// what a write may wait (docs/CONSISTENCY.md).
    /// </summary>
    public int ChunkTargetMs { get; set; } = 10;

    /// <summary>
    /// Digest markers a run keeps written and not yet answered: the master writes the next marker while the slaves
    /// still digest the previous ones. 1 checks one chunk at a time.
    /// </summary>
    public int ChunksInFlight { get; set; } = 3;

    /// <summary>
    /// While the master takes writes, the share of the time (percent) a run may work: it keeps one chunk in flight and
    /// rests after each for as long as the chunk's work took times (100 - share) / share. 100: never give way. With no
    /// writes a run always goes at full speed.
    /// </summary>
    public int BusySharePercent { get; set; } = 20;

    /// <summary>Buckets in the first chunk of a run (of 4096).</summary>
    public int InitialChunkBuckets { get; set; } = 8;

    /// <summary>Most buckets in one chunk (1 makes 4096 chunks: slow on purpose, for tests).</summary>
    public int MaxChunkBuckets { get; set; } = 512;

    /// <summary>The check pauses while a compared slave has more than this many bytes of binlog not acknowledged, or is not streaming.</summary>
    public long MaxLagBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long to wait for every slave's answer to a marker before writing the chunk's marker again.</summary>
    public int ResultTimeoutMs { get; set; } = 30_000;

    /// <summary>The problems with these settings, empty when none (numeric ranges: <see cref="SettingRanges"/>).</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(Schedule)
            && (!TimeSpan.TryParse(Schedule, System.Globalization.CultureInfo.InvariantCulture, out var schedule)
                || schedule < TimeSpan.Zero || (schedule > TimeSpan.Zero && schedule < TimeSpan.FromSeconds(1))))
            errors.Add($"{SectionName}:Schedule must be empty, zero (off) or an interval of at least one second (\"01:00:00\"); it is '{Schedule}'.");
        Check(errors, SettingRanges.ConsistencyChunkTargetMs, ChunkTargetMs);
        Check(errors, SettingRanges.ConsistencyInitialChunkBuckets, InitialChunkBuckets);
        Check(errors, SettingRanges.ConsistencyMaxChunkBuckets, MaxChunkBuckets);
        if (InitialChunkBuckets > MaxChunkBuckets && SettingRanges.ConsistencyMaxChunkBuckets.Contains(MaxChunkBuckets))
            errors.Add($"{SettingRanges.ConsistencyInitialChunkBuckets.ConfigKey} must be at most {SettingRanges.ConsistencyMaxChunkBuckets.ConfigKey} ({MaxChunkBuckets}) (got {InitialChunkBuckets}).");
        Check(errors, SettingRanges.ConsistencyChunksInFlight, ChunksInFlight);
        Check(errors, SettingRanges.ConsistencyBusySharePercent, BusySharePercent);
        Check(errors, SettingRanges.ConsistencyMaxLagBytes, MaxLagBytes);
        Check(errors, SettingRanges.ConsistencyResultTimeoutMs, ResultTimeoutMs);
        return errors;
    }

    /// <summary>The numeric settings of the section as written, before binding (see <see cref="SectionRangeText"/>).</summary>
    public static List<string> ValidateText(IConfiguration configuration) => SectionRangeText.Validate(configuration, SectionName);

    private static void Check(List<string> errors, SettingRange range, long value)
    {
        if (range.Problem(range.ConfigKey, value) is { } problem)
            errors.Add($"{problem}.");
    }
}
