using System.Collections.Concurrent;
using System.Globalization;

namespace ReplDash.Engine.Resp;

/// <summary>
/// INFO commandstats: per command (subcommands as <c>client|list</c>), how many calls ran, the microseconds they took,
/// and how many were rejected before running (wrong arity, refused while subscribed). Per node, reset by CONFIG RESETSTAT.
/// </summary>
/// <param name="time">The node's clock: calls are timed with its timestamps.</param>
public sealed class CommandStats(TimeProvider time)
{
    private sealed class Counter
    {
        public long Calls;
        public long Ticks;
        public long Rejected;
    }

    private ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>Counts one call that ran for <paramref name="elapsedTicks"/> ticks of the node's timestamp (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public void Ran(string name, long elapsedTicks)
    {
        var counter = _counters.GetOrAdd(name, static _ => new Counter());
        Interlocked.Increment(ref counter.Calls);
        Interlocked.Add(ref counter.Ticks, elapsedTicks);
    }

    /// <summary>Counts one call refused before it ran.</summary>
    public void Rejected(string name) => Interlocked.Increment(ref _counters.GetOrAdd(name, static _ => new Counter()).Rejected);

    /// <summary>Starts every count again from zero.</summary>
    public void Reset() => _counters = new(StringComparer.Ordinal);

    /// <summary>The section's lines: <c>cmdstat_get:calls=2,usec=15,usec_per_call=7.50,rejected_calls=0,failed_calls=0</c>.</summary>
    public IEnumerable<(string Name, string Value)> Lines()
    {
        foreach (var (name, counter) in _counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            long calls = Interlocked.Read(ref counter.Calls);
            long usec = (long)(Interlocked.Read(ref counter.Ticks) * 1_000_000.0 / time.TimestampFrequency);
            double perCall = calls == 0 ? 0 : (double)usec / calls;
            yield return ($"cmdstat_{name}",
                $"calls={calls},usec={usec},usec_per_call={perCall.ToString("F2", CultureInfo.InvariantCulture)},rejected_calls={Interlocked.Read(ref counter.Rejected)},failed_calls=0");
        }
    }
}
