using ReplDash.Engine.Hosting;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>One point of a chart series: when, and the value.</summary>
public sealed record ChartPoint(DateTime Time, double Value);

/// <summary>One bar of a histogram: its label (the bucket's upper bound) and how many fell in it.</summary>
public sealed record HistogramBar(string Bucket, double Count);

/// <summary>A named series, ready for a Radzen chart.</summary>
public sealed record NamedSeries(string Title, IReadOnlyList<ChartPoint> Points);

/// <summary>
/// Turns metric history into chart series. Every call returns new lists (Radzen charts stop updating when a
/// bound collection is changed in place) of at most <see cref="MaxPoints"/> points (a chart redrawn a few
/// times a second must stay light whatever the history length).
/// </summary>
public static class ChartSeries
{
    /// <summary>Most points in one series.</summary>
    public const int MaxPoints = 150;

    /// <summary>Upper bounds (µs) of the ack latency histogram's buckets when the engine gives none; the last is open.</summary>
    public static readonly long[] DefaultLatencyBucketsUs = [250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, long.MaxValue];

    /// <summary>The series of <paramref name="value"/> over <paramref name="samples"/>, skipping samples where it is null.</summary>
    public static IReadOnlyList<ChartPoint> Of(IReadOnlyList<MetricSampleRecord> samples, Func<MetricSampleRecord, double?> value)
    {
        var stride = Math.Max(1, (int)Math.Ceiling(samples.Count / (double)MaxPoints));
        var points = new List<ChartPoint>(Math.Min(samples.Count, MaxPoints));
        // Walk back from the newest so the latest sample is always drawn, whatever the stride.
        for (var i = samples.Count - 1; i >= 0; i -= stride)
        {
            if (value(samples[i]) is { } v)
            {
                points.Add(new ChartPoint(DateTimeOffset.FromUnixTimeMilliseconds(samples[i].TimeUnixMs).UtcDateTime.ToLocalTime(), v));
            }
        }

        points.Reverse();
        return points;
    }

    /// <summary>Named series that have at least one point (a role's absent metrics disappear from the legend).</summary>
    public static IReadOnlyList<NamedSeries> NonEmpty(IReadOnlyList<MetricSampleRecord> samples, params (string Title, Func<MetricSampleRecord, double?> Value)[] metrics) =>
        metrics.Select(m => new NamedSeries(m.Title, Of(samples, m.Value))).Where(s => s.Points.Count > 0).ToList();

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
