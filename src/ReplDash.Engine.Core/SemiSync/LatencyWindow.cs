namespace ReplDash.Engine.Core.SemiSync;

/// <summary>Percentiles and a histogram of the latencies in a <see cref="LatencyWindow"/>.</summary>
/// <param name="Buckets">Samples per bucket: (upper bound in µs, count); the last bound is <see cref="long.MaxValue"/> (open).</param>
public sealed record LatencySummary(long Count, long P50Us, long P90Us, long P99Us, long MaxUs, IReadOnlyList<(long UpToUs, long Count)> Buckets)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, LatencyWindow.BucketBounds.Select(b => (b, 0L)).ToArray());
}

/// <summary>
/// The latest latency samples of one source (a slave's acks) over a sliding time window, bounded in count
/// so that memory stays fixed however fast acks arrive. Pure; not thread-safe.
/// </summary>
public sealed class LatencyWindow(long windowUs, int capacity = 4096)
{
    /// <summary>Histogram bucket upper bounds in µs (roughly 1-2-5 steps from 100 µs to 1 s, then open).</summary>
    public static readonly long[] BucketBounds =
        [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, long.MaxValue];

    private readonly (long AtUs, long LatencyUs)[] _ring = new (long, long)[capacity];
    private long _count;

    /// <summary>Adds one sample taken at <paramref name="nowUs"/>.</summary>
    public void Record(long nowUs, long latencyUs)
    {
        _ring[_count % _ring.Length] = (nowUs, Math.Max(0, latencyUs));
        _count++;
    }

    /// <summary>Samples since creation (also those that left the window).</summary>
    public long TotalCount => _count;

    /// <summary>Summary of the samples no older than the window at <paramref name="nowUs"/>.</summary>
    public LatencySummary Summarize(long nowUs)
    {
        int stored = (int)Math.Min(_count, _ring.Length);
        var values = new List<long>(stored);
        for (int i = 0; i < stored; i++)
            if (nowUs - _ring[i].AtUs <= windowUs)
                values.Add(_ring[i].LatencyUs);
        if (values.Count == 0)
            return LatencySummary.Empty;
        values.Sort();
        var buckets = new long[BucketBounds.Length];
        foreach (long value in values)
            buckets[Array.FindIndex(BucketBounds, bound => value <= bound)]++;
        return new LatencySummary(values.Count, Percentile(values, 0.50), Percentile(values, 0.90), Percentile(values, 0.99), values[^1],
            BucketBounds.Zip(buckets).ToArray());
    }

    // Nearest-rank percentile of sorted values.
    private static long Percentile(List<long> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
