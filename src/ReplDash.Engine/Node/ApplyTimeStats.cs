using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>How long a slave took to apply its most recent items (a bounded ring), for operators.</summary>
public sealed class ApplyTimeStats
{
    private const int Capacity = 1024;
    private readonly (long Ms, BinlogPosition At)[] _recent = new (long, BinlogPosition)[Capacity];
    private long _count;

    public void Record(long elapsedMs, BinlogPosition at)
    {
        lock (_recent)
        {
            _recent[_count % Capacity] = (elapsedMs, at);
            _count++;
        }
    }

    /// <summary>Items applied since start.</summary>
    public long Count { get { lock (_recent) return _count; } }

    /// <summary>How many recent apply times the read model carries (a chart's worth, not the whole ring).</summary>
    public const int RecentViewCount = 120;

    private (long Count, int Max, long[] View)? _lastView;

    /// <summary>
    /// Apply times of the last <paramref name="max"/> items (at most the ring's size), oldest first. The same array
    /// while nothing new was applied, so an idle node's status compares equal from one read to the next.
    /// </summary>
    public IReadOnlyList<long> RecentMs(int max)
    {
        lock (_recent)
        {
            if (_lastView is { } last && last.Count == _count && last.Max == max)
                return last.View;
            int n = (int)Math.Min(Math.Min(_count, Capacity), Math.Max(0, max));
            var result = new long[n];
            for (int i = 0; i < n; i++)
                result[i] = _recent[(_count - n + i) % Capacity].Ms;
            _lastView = (_count, max, result);
            return result;
        }
    }

    /// <summary>The longest apply among the recent items, and where.</summary>
    public (long Ms, BinlogPosition At) SlowestRecent()
    {
        lock (_recent)
        {
            int n = (int)Math.Min(_count, Capacity);
            return n == 0 ? (0, default) : _recent.Take(n).MaxBy(r => r.Ms);
        }
    }
}
