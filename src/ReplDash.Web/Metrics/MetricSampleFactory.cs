using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Cluster;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>
/// Builds one second's metric samples from a cluster snapshot. A slave's sample also carries the master's
/// view of its link (sent, acked, window, ack latency) when the master is in the same snapshot, so a slave's
/// page charts its whole path from the master's send to its own apply.
/// </summary>
public sealed class MetricSampleFactory
{
    // Per slave: send-to-ack times seen while the engine reports no percentiles of its own; the engine's
    // window type, holding the last minute's worth at one observation per second.
    private const int FallbackAckObservations = 60;
    private readonly Dictionary<string, LatencyWindow> _ackWindows = new(StringComparer.Ordinal);
    private ClusterSnapshot? _previous;

    /// <summary>Samples for <paramref name="snapshot"/>, rates measured against the previous call's snapshot.</summary>
    public IReadOnlyList<MetricSampleRecord> Build(ClusterSnapshot snapshot)
    {
        var previous = _previous;
        _previous = snapshot;
        var elapsedSeconds = previous is null ? 0 : (snapshot.TakenAt - previous.TakenAt).TotalSeconds;
        var timeUnixMs = snapshot.TakenAt.ToUnixTimeMilliseconds() / 1000 * 1000;

        var samples = new List<MetricSampleRecord>(snapshot.Nodes.Count);
        foreach (var node in snapshot.Nodes)
        {
            var before = previous?.Nodes.FirstOrDefault(n => n.Id == node.Id);
            var sample = new MetricSampleRecord
            {
                NodeId = node.Id,
                ResolutionSeconds = MetricHistoryStore.SecondResolutionSeconds,
                TimeUnixMs = timeUnixMs,
                OpsPerSecond = node.OpsPerSecond,
                WriteBytesPerSecond = before is not null && elapsedSeconds > 0
                    ? Math.Max(0, (node.LogicalOffset - before.LogicalOffset) / elapsedSeconds)
                    : 0,
                EndLogical = node.LogicalOffset,
                DurableLogical = PositionScale.Logical(node.BinlogEnd, node.LogicalOffset, node.Durable),
                AppliedLogical = PositionScale.Logical(node.BinlogEnd, node.LogicalOffset, node.Applied),
            };
            if (node.Link is { } link)
            {
                AddSlaveMetrics(sample, node, link, snapshot, previous);
            }

            samples.Add(sample);
        }

        return samples;
    }

    private void AddSlaveMetrics(MetricSampleRecord sample, NodeStatus node, MasterLinkView link, ClusterSnapshot snapshot, ClusterSnapshot? previous)
    {
        sample.RelaySyncedLogical = PositionScale.Logical(node.BinlogEnd, node.LogicalOffset, link.RelaySynced);
        sample.LagBytes = link.LagBytes < 0 ? null : link.LagBytes;
        sample.LagItems = link.LagItems < 0 ? null : link.LagItems;
        sample.LagMs = link.LagMs;

        if (MasterViewOf(snapshot, node.Id) is not var (master, view))
        {
            return;
        }

        sample.SentLogical = PositionScale.Logical(master.BinlogEnd, master.LogicalOffset, view.Sent);
        sample.AckedLogical = PositionScale.Logical(master.BinlogEnd, master.LogicalOffset, view.Acked);
        sample.InFlightItems = view.InFlightItems;
        sample.InFlightBytes = view.InFlightBytes;

        if (master.SemiSync?.AckLatency.FirstOrDefault(a => a.SlaveId == node.Id) is { } measured)
        {
            sample.AckLatencyP50Us = measured.P50Us;
            sample.AckLatencyP99Us = measured.P99Us;
            return;
        }

        // No measured window for this slave (a master without semi-sync state, or no ack yet): the link's last
        // ack latency, counted only when a new ack arrived since the previous second (an idle link would
        // otherwise repeat one old value all minute).
        if (!_ackWindows.TryGetValue(node.Id, out var window))
        {
            window = new LatencyWindow(windowUs: long.MaxValue, FallbackAckObservations);
            _ackWindows[node.Id] = window;
        }

        var nowUs = snapshot.TakenAt.ToUnixTimeMilliseconds() * 1000;
        var acknowledgedBefore = previous is null ? null : MasterViewOf(previous, node.Id)?.View.Acked;
        if (view.Acked != default && view.Acked != acknowledgedBefore)
        {
            window.Record(nowUs, view.LastAckLatencyMs * 1000);
            sample.AckLatencyLastUs = view.LastAckLatencyMs * 1000;
        }

        var summary = window.Summarize(nowUs);
        sample.AckLatencyP50Us = summary.Count == 0 ? null : summary.P50Us;
        sample.AckLatencyP99Us = summary.Count == 0 ? null : summary.P99Us;
    }

    /// <summary>The master in <paramref name="snapshot"/> that has a link from <paramref name="slaveId"/>, and that link.</summary>
    public static (NodeStatus Master, SlaveLinkView View)? MasterViewOf(ClusterSnapshot snapshot, string slaveId)
    {
        foreach (var master in snapshot.Nodes)
        {
            if (master.Slaves?.FirstOrDefault(s => s.SlaveId == slaveId) is { } view)
            {
                return (master, view);
            }
        }

        return null;
    }
}
