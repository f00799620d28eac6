using System.Globalization;
using MudBlazor;
using ReplDash.Web.Formatting;
using ReplDash.Web.Store.Consistency;

namespace ReplDash.Web.Consistency;

/// <summary>
/// What the Consistency pages say about a run and its progress: status colours, percentages, rate, ETA, expiry and
/// digest texts. Kept out of the markup so that the rules are tested on their own (tests/ReplDash.Web.Tests/Components).
/// </summary>
public static class CheckDisplay
{
    /// <summary>
    /// A run's colour: running blue, completed clean green, completed with differences amber (the check worked; the
    /// data does not match), failed red, cancelled grey.
    /// </summary>
    public static Color StatusColor(string status, int differingKeys) => status switch
    {
        CheckRunStatus.Running => Color.Info,
        CheckRunStatus.Completed => differingKeys == 0 ? Color.Success : Color.Warning,
        CheckRunStatus.Failed => Color.Error,
        _ => Color.Default,
    };

    /// <summary>The status as shown: "clean" or "N differ" for a completed run, the status otherwise.</summary>
    public static string StatusText(string status, int differingKeys) => status == CheckRunStatus.Completed
        ? differingKeys == 0 ? "clean" : $"{HumanFormat.Exact(differingKeys)} differ"
        : status;

    /// <summary>
    /// Percent of the run's buckets finished, 0-100. Progress counts buckets, not chunks: chunks are sized to a time
    /// target as the run goes, so their total is not known in advance. A finished run with no bucket in scope is full.
    /// </summary>
    public static double Percent(CheckProgress progress) => progress.BucketsTotal > 0
        ? Math.Clamp(100.0 * progress.BucketsDone / progress.BucketsTotal, 0, 100)
        : progress.Status == CheckRunStatus.Running ? 0 : 100;

    /// <summary>"1,024 of 4,096 buckets (25%) in 12 chunks".</summary>
    public static string Chunks(CheckProgress progress) =>
        $"{HumanFormat.Exact(progress.BucketsDone)} of {HumanFormat.Exact(progress.BucketsTotal)} buckets ({Percent(progress).ToString("0", CultureInfo.InvariantCulture)}%) in {HumanFormat.Exact(progress.ChunksDone)} chunk{(progress.ChunksDone == 1 ? "" : "s")}";

    /// <summary>
    /// The progress to show after <paramref name="previous"/>: <paramref name="next"/>, except that a run's final state
    /// (which carries no rate) keeps the rate it last ran at, so a finished panel still says how fast it went.
    /// </summary>
    public static CheckProgress Latest(CheckProgress? previous, CheckProgress next) =>
        next.Status != CheckRunStatus.Running && next.KeysPerSecond <= 0 && previous is { RunId: var id, KeysPerSecond: > 0 } && id == next.RunId
            ? next with { KeysPerSecond = previous.KeysPerSecond }
            : next;

    /// <summary>"12k keys/s"; "–" before the first chunk's rate is known.</summary>
    public static string Rate(double keysPerSecond) => keysPerSecond > 0 ? $"{HumanFormat.Compact(keysPerSecond)} keys/s" : "–";

    /// <summary>
    /// Time left as people read it: "< 1 s", "42 s", "3 min 05 s", "2 h 10 min"; "–" while unknown (no rate yet, or
    /// the run is not running).
    /// </summary>
    public static string Eta(double? seconds)
    {
        if (seconds is not { } s || double.IsNaN(s) || double.IsInfinity(s) || s < 0)
        {
            return "–";
        }

        if (s < 1)
        {
            return "< 1 s";
        }

        var whole = (long)Math.Ceiling(s);
        return whole switch
        {
            < 60 => $"{whole} s",
            < 3600 => $"{whole / 60} min {whole % 60:00} s",
            _ => $"{whole / 3600} h {whole % 3600 / 60:00} min",
        };
    }

    /// <summary>What the run does now, in words (the progress's phase).</summary>
    public static string PhaseText(string phase) => phase switch
    {
        "queued" => "queued behind another check",
        "checking" => "checking",
        "waiting" => "waiting for the slaves' answers",
        "paused" => "paused: a slave lags or is not streaming",
        "done" => "done",
        _ => phase,
    };

    /// <summary>How long a run took or has taken so far: "1.2 s", "3 min 05 s".</summary>
    public static string Duration(DateTime startedUtc, DateTime? endedUtc, DateTime nowUtc)
    {
        var seconds = Math.Max(0, ((endedUtc ?? nowUtc) - startedUtc).TotalSeconds);
        return seconds < 60 ? HumanFormat.Milliseconds(seconds * 1000) : Eta(seconds);
    }

    /// <summary>A UTC time as the pages show it: "2026-12-07 17:30:00".</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>When a run ended: the clock time alone when it ended the day it started ("17:31:02"), else the whole time.</summary>
    public static string Ended(DateTime startedUtc, DateTime endedUtc) => endedUtc.Date == startedUtc.Date
        ? endedUtc.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
        : Time(endedUtc);

    /// <summary>A key's expiry on one side: "none" (no TTL), the absolute UTC time, or "–" when the side lacks the key.</summary>
    public static string Expiry(CheckKeySide? side) => side switch
    {
        null => "–",
        { ExpireAtMs: <= 0 } => "none",
        _ => DateTimeOffset.FromUnixTimeMilliseconds(side.ExpireAtMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
    };

    /// <summary>The first 12 hex digits of a value digest (the whole one is in the cell's title); "–" when the side lacks the key.</summary>
    public static string ShortDigest(CheckKeySide? side) => side is null ? "–" : side.ValueDigest.Length <= 12 ? side.ValueDigest : side.ValueDigest[..12];

    /// <summary>Where a differing key is missing: "on s1", "on master", or "" when both sides hold it.</summary>
    public static string MissingOn(CheckFindingDto finding) => (finding.Master, finding.Slave) switch
    {
        (null, null) => "on both",
        (null, _) => "on master",
        (_, null) => $"on {finding.Node}",
        _ => "",
    };
}
