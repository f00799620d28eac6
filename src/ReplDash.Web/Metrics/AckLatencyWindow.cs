namespace ReplDash.Web.Metrics;

/// <summary>
/// The last few send-to-ack times of one slave link, for percentiles when the engine reports none for it
/// (<c>SemiSyncView.AckLatency</c> has no entry for the slave yet). Bounded; oldest dropped first.
/// </summary>
public sealed class AckLatencyWindow
{
    /// <summary>Observations kept: a minute at one per second.</summary>
    public const int Capacity = 60;

    private readonly Queue<long> _observationsUs = new();

    /// <summary>Observations held now.</summary>
    public int Count => _observationsUs.Count;

    /// <summary>Adds one observation, dropping the oldest when full.</summary>
    public void Add(long latencyUs)
    {
        if (_observationsUs.Count == Capacity)
        {
            _observationsUs.Dequeue();
        }

        _observationsUs.Enqueue(Math.Max(0, latencyUs));
    }

    /// <summary>The <paramref name="percentile"/> (0-100, nearest rank) of the held observations; null when empty.</summary>
    public long? Percentile(double percentile)
    {
        if (_observationsUs.Count == 0)
        {
            return null;
        }

        var sorted = _observationsUs.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
