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
