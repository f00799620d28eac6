using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>
/// The last five minutes of per-second samples of every node, in memory, for the charts: pages read from
/// here on every render without touching the database. Filled by <see cref="MetricSampler"/>, which seeds
/// it from the store at start so charts show history after a restart.
/// </summary>
public sealed class MetricHistory
{
    /// <summary>Samples kept per node: five minutes at one per second.</summary>
    public const int SamplesPerNode = 300;

    private readonly Dictionary<string, Queue<MetricSampleRecord>> _byNode = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _version;

    /// <summary>Grows by one with each append; a page rebuilds its chart data only when it changed.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Adds samples (any nodes), dropping each node's oldest past <see cref="SamplesPerNode"/>.</summary>
    public void Append(IEnumerable<MetricSampleRecord> samples)
    {
        lock (_gate)
        {
            foreach (var sample in samples)
            {
                if (!_byNode.TryGetValue(sample.NodeId, out var queue))
                {
                    queue = new Queue<MetricSampleRecord>(SamplesPerNode);
                    _byNode[sample.NodeId] = queue;
                }

                if (queue.Count == SamplesPerNode)
                {
                    queue.Dequeue();
                }

                queue.Enqueue(sample);
            }
        }

        Interlocked.Increment(ref _version);
    }

    /// <summary>A copy of one node's samples, oldest first (empty when unknown).</summary>
    public IReadOnlyList<MetricSampleRecord> For(string nodeId)
    {
        lock (_gate)
        {
            return _byNode.TryGetValue(nodeId, out var queue) ? queue.ToArray() : [];
        }
    }

    /// <summary>Bytes per second appended to the binlogs of <paramref name="masterIds"/> together, per second, oldest first.</summary>
    public IReadOnlyList<(long TimeUnixMs, double BytesPerSecond)> WriteRate(IEnumerable<string> masterIds, int maxPoints)
    {
        var byTime = new SortedDictionary<long, double>();
        lock (_gate)
        {
            foreach (var id in masterIds)
            {
                if (!_byNode.TryGetValue(id, out var queue))
                {
                    continue;
                }

                foreach (var sample in queue)
                {
                    byTime[sample.TimeUnixMs] = byTime.GetValueOrDefault(sample.TimeUnixMs) + sample.WriteBytesPerSecond;
                }
            }
        }

        return byTime.Skip(Math.Max(0, byTime.Count - maxPoints)).Select(kv => (kv.Key, kv.Value)).ToList();
    }
}
