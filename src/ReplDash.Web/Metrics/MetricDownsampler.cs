using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>
/// Folds one node's per-second samples of one minute into one per-minute sample: rates averaged, positions
/// taken from the last second (where the minute ended), lag and latency as the worst second (a one-minute
/// average would hide the spike an operator is looking for).
/// </summary>
public static class MetricDownsampler
{
    /// <summary>Seconds per minute sample.</summary>
    public const int MinuteResolutionSeconds = 60;

    /// <summary>The minute sample of <paramref name="seconds"/> (one node, one minute, any order; at least one).</summary>
    public static MetricSampleRecord ToMinute(IReadOnlyCollection<MetricSampleRecord> seconds)
    {
        if (seconds.Count == 0)
        {
            throw new ArgumentException("A minute needs at least one second sample.", nameof(seconds));
        }

        var last = seconds.MaxBy(s => s.TimeUnixMs)!;
        return new MetricSampleRecord
        {
            NodeId = last.NodeId,
            ResolutionSeconds = MinuteResolutionSeconds,
            TimeUnixMs = MinuteStart(last.TimeUnixMs),
            OpsPerSecond = seconds.Average(s => s.OpsPerSecond),
            WriteBytesPerSecond = seconds.Average(s => s.WriteBytesPerSecond),
            EndLogical = last.EndLogical,
            DurableLogical = last.DurableLogical,
            AppliedLogical = last.AppliedLogical,
            RelaySyncedLogical = last.RelaySyncedLogical,
            SentLogical = last.SentLogical,
            AckedLogical = last.AckedLogical,
            LagBytes = seconds.Max(s => s.LagBytes),
            LagItems = seconds.Max(s => s.LagItems),
            LagMs = seconds.Max(s => s.LagMs),
            AckLatencyP50Us = seconds.Max(s => s.AckLatencyP50Us),
            AckLatencyP99Us = seconds.Max(s => s.AckLatencyP99Us),
            AckLatencyLastUs = seconds.Max(s => s.AckLatencyLastUs),
            InFlightItems = seconds.Max(s => s.InFlightItems),
            InFlightBytes = seconds.Max(s => s.InFlightBytes),
        };
    }

    /// <summary>The start of the minute holding <paramref name="timeUnixMs"/>.</summary>
    public static long MinuteStart(long timeUnixMs) => timeUnixMs - (((timeUnixMs % 60_000) + 60_000) % 60_000);
}
