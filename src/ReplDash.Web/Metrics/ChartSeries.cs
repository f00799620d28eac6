using ReplDash.Engine.Hosting;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>One point of a chart series: when (Unix ms, UTC), and the value.</summary>
public sealed record ChartPoint(long TimeUnixMs, double Value);

/// <summary>One bar of a histogram: its label (the bucket's upper bound) and how many fell in it.</summary>
public sealed record HistogramBar(string Bucket, double Count);

/// <summary>
/// A named line in one unit, cut into segments: a line is drawn through each segment's points and never
/// between two segments, so an outage (no samples, or a value that did not exist) shows as a gap.
/// </summary>
/// <param name="Title">Legend text.</param>
/// <param name="Unit">What the values measure; the chart gives each unit its own axis.</param>
/// <param name="Segments">Runs of points with no gap inside, oldest first.</param>
public sealed record NamedSeries(string Title, ChartUnit Unit, IReadOnlyList<IReadOnlyList<ChartPoint>> Segments)
{
    /// <summary>Points over every segment.</summary>
    public int PointCount => Segments.Sum(s => s.Count);
}

/// <summary>A metric to chart: its legend title, its unit, and how to read it from a sample (null: not there).</summary>
public sealed record ChartMetric(string Title, ChartUnit Unit, Func<MetricSampleRecord, double?> Value);

/// <summary>
/// Turns metric history into chart series. Every call returns new lists (charts redraw only when handed new
/// series) of at most <see cref="MaxPoints"/> points (a chart redrawn every second must stay light whatever
/// the history length).
/// </summary>
public static class ChartSeries
{
    /// <summary>Most points in one series.</summary>
    public const int MaxPoints = 150;

    /// <summary>
    /// Two drawn points further apart than this many sample intervals have a gap between them: a sample or
    /// two can be late (a busy second), but a longer silence is an outage or a restart and must not be bridged.
    /// </summary>
    public const double GapIntervals = 2.5;

    /// <summary>Upper bounds (µs) of the ack latency histogram's buckets when the engine gives none; the last is open.</summary>
    public static readonly long[] DefaultLatencyBucketsUs = [250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, long.MaxValue];

    /// <summary>
    /// The segments of <paramref name="value"/> over <paramref name="samples"/> (oldest first). A new segment
    /// starts after a sample where the value is null and wherever two drawn samples are more than
    /// <see cref="GapIntervals"/> sample intervals apart (the interval is the samples' resolution times the
    /// stride used to stay under <see cref="MaxPoints"/>).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ChartPoint>> Segments(IReadOnlyList<MetricSampleRecord> samples, Func<MetricSampleRecord, double?> value)
    {
        var stride = Math.Max(1, (int)Math.Ceiling(samples.Count / (double)MaxPoints));
        var resolutionMs = samples.Count == 0 ? 1000L : Math.Max(1, samples.Max(s => s.ResolutionSeconds)) * 1000L;
        var gapMs = GapIntervals * resolutionMs * stride;

        // Walk back from the newest so the latest sample is always drawn, whatever the stride.
        var picked = new List<MetricSampleRecord>(Math.Min(samples.Count, MaxPoints));
        for (var i = samples.Count - 1; i >= 0; i -= stride)
        {
            picked.Add(samples[i]);
        }

        picked.Reverse();
        return Split(picked.Select(s => (s.TimeUnixMs, value(s))).ToList(), gapMs);
    }

    /// <summary>
    /// Cuts timed values into gap-free segments: at every null value, and between two values more than
    /// <paramref name="gapMs"/> apart.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ChartPoint>> Split(IReadOnlyList<(long TimeUnixMs, double? Value)> values, double gapMs)
    {
        var segments = new List<IReadOnlyList<ChartPoint>>();
        List<ChartPoint>? current = null;
        foreach (var (time, v) in values)
        {
            if (v is not { } known || double.IsNaN(known))
            {
                current = null;
                continue;
            }

            if (current is null || time - current[^1].TimeUnixMs > gapMs)
            {
                current = [];
                segments.Add(current);
            }

            current.Add(new ChartPoint(time, known));
        }

        return segments;
    }

    /// <summary>Series of the given metrics that have at least one point (a role's absent metrics leave the legend).</summary>
    public static IReadOnlyList<NamedSeries> NonEmpty(IReadOnlyList<MetricSampleRecord> samples, params ChartMetric[] metrics) =>
        metrics.Select(m => new NamedSeries(m.Title, m.Unit, Segments(samples, m.Value))).Where(s => s.PointCount > 0).ToList();

    /// <summary>The engine's own histogram when it reports one.</summary>
    public static IReadOnlyList<HistogramBar> Histogram(AckLatencyView measured) =>
        measured.Buckets.Select(b => new HistogramBar(BucketLabel(b.UpToUs), b.Count)).ToList();

    /// <summary>A histogram of the observed ack latencies in <paramref name="samples"/>, over <see cref="DefaultLatencyBucketsUs"/>.</summary>
    public static IReadOnlyList<HistogramBar> Histogram(IReadOnlyList<MetricSampleRecord> samples)
    {
        var counts = new long[DefaultLatencyBucketsUs.Length];
        foreach (var sample in samples)
        {
            if (sample.AckLatencyLastUs is { } us)
            {
                counts[Array.FindIndex(DefaultLatencyBucketsUs, bound => us <= bound)]++;
            }
        }

        return DefaultLatencyBucketsUs.Select((bound, i) => new HistogramBar(BucketLabel(bound), counts[i])).ToList();
    }

    private static string BucketLabel(long upToUs) =>
        upToUs == long.MaxValue ? "more" : "≤ " + Formatting.HumanFormat.Microseconds(upToUs);
}
