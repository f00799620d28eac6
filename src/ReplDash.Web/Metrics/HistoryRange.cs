using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>How far back a node's charts look.</summary>
public enum HistoryRange
{
    /// <summary>The last five minutes, per second, from memory, redrawn each second.</summary>
    FiveMinutes,

    /// <summary>The last hour, per second, from the store.</summary>
    Hour,

    /// <summary>The last day, per minute, from the store.</summary>
    Day,
}

/// <summary>Reads a node's samples for a <see cref="HistoryRange"/>: memory for the live range, the store for the others.</summary>
public sealed class HistoryRangeReader
{
    /// <summary>How often a page re-reads a stored range: the store is not a live feed, and a day's samples change once a minute.</summary>
    public static readonly TimeSpan StoredRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly MetricHistory _history;
    private readonly MetricHistoryStore _store;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the reader.</summary>
    public HistoryRangeReader(MetricHistory history, MetricHistoryStore store, TimeProvider timeProvider)
    {
        _history = history;
        _store = store;
        _timeProvider = timeProvider;
    }

    /// <summary>The samples of <paramref name="nodeId"/> over <paramref name="range"/>, oldest first.</summary>
    public async Task<IReadOnlyList<MetricSampleRecord>> ReadAsync(string nodeId, HistoryRange range, CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        return range switch
        {
            HistoryRange.Hour => await _store.ReadAsync(MetricHistoryStore.SecondResolutionSeconds, now - MetricHistoryStore.SecondRetention, nodeId, cancellationToken),
            HistoryRange.Day => await _store.ReadAsync(MetricDownsampler.MinuteResolutionSeconds, now - MetricHistoryStore.MinuteRetention, nodeId, cancellationToken),
            _ => _history.For(nodeId),
        };
    }
}
