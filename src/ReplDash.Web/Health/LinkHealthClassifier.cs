using ReplDash.Engine.Hosting;
using ReplDash.Web.Formatting;

namespace ReplDash.Web.Health;

/// <summary>
/// Decides the colour of a node from its protocol state, so every page and test agrees. A slave: red from the
/// moment its link drops (and for a link timeout after, so a link cut again and again never looks healthy),
/// "resyncing" (its own colour, with progress) during a full resync, amber on its way up or lagging, green once
/// streaming and caught up; red while its link is stopped on diverged history (lesson L5). A master: red when
/// semi-sync is enabled but OFF (writes no longer wait for any slave), amber when a slave's acks are late, green otherwise.
/// </summary>
public static class LinkHealthClassifier
{
    /// <summary>A streaming slave whose oldest unapplied write is older than this is lagging (amber).</summary>
    public const long LaggingMs = 1000;

    /// <summary>A slave whose last ack took longer than this is late: its master is not healthy (amber).</summary>
    public const long LateAckMs = 1000;

    /// <summary>Kind of the event a slave publishes each time its link drops.</summary>
    public const string LinkDownEventKind = "link-down";

    /// <summary>
    /// The verdict for <paramref name="node"/>. <paramref name="linkDroppedAt"/> is when its link last dropped
    /// (its latest link-down event): a link that dropped within the link timeout stays red, because a slave
    /// reconnects within a tenth of a second and a link cut again and again would otherwise flicker back to
    /// green between two polls and hide that it is not replicating.
    /// </summary>
    public static HealthVerdict Classify(NodeStatus node, DateTimeOffset? linkDroppedAt = null, DateTimeOffset? now = null)
    {
        switch (node.State)
        {
            case "stopped":
                return new HealthVerdict(LinkHealth.Red, "node stopped");
            case "failed":
                return new HealthVerdict(LinkHealth.Red, "node failed");
            case "starting":
                return new HealthVerdict(LinkHealth.Amber, "node starting");
            case "degraded":
                // A full disk: reads are served and the node retries by itself, but writes wait for space.
                return new HealthVerdict(LinkHealth.Amber, $"node degraded: {node.LastError}");
        }

        if (node.Role != "slave")
        {
            return ClassifyMaster(node);
        }

        if (node.Link is not { } link)
        {
            return new HealthVerdict(LinkHealth.Red, "no link to a master");
        }

        // The engine notices a silent master only at its next read timeout; say red as soon as the timeout is past.
        if (link.LinkTimeoutMs > 0 && link.LastHeardSecondsAgo >= 0 && link.LastHeardSecondsAgo * 1000 > link.LinkTimeoutMs)
        {
            return new HealthVerdict(LinkHealth.Red, $"master silent for {link.LastHeardSecondsAgo} s");
        }

        if (link.LinkState == "down")
        {
            return new HealthVerdict(LinkHealth.Red, "link down");
        }

        if (link.LinkState == "diverged")
        {
            return new HealthVerdict(LinkHealth.Red, "history diverged: stopped until an operator resyncs");
        }

        // Its own state: a slave loading a snapshot is neither failing nor healthy, and the operator wants its progress.
        if (ResyncProgress.IsRunning(link))
        {
            return new HealthVerdict(LinkHealth.Resyncing, "full resync: " + ResyncProgress.Summary(link));
        }

        if (linkDroppedAt is { } dropped && now is { } at && link.LinkTimeoutMs > 0 && (at - dropped).TotalMilliseconds < link.LinkTimeoutMs)
        {
            return new HealthVerdict(LinkHealth.Red, $"link dropped {HumanFormat.Milliseconds(Math.Max(0, (at - dropped).TotalMilliseconds))} ago");
        }

        return link.LinkState switch
        {
            "streaming" when link.LagMs > LaggingMs => new HealthVerdict(LinkHealth.Amber, $"lagging {HumanFormat.Milliseconds(link.LagMs)}"),
            "streaming" => new HealthVerdict(LinkHealth.Green, "streaming"),
            var state => new HealthVerdict(LinkHealth.Amber, state),
        };
    }

    /// <summary>The colour of a master's view of one slave link: streaming green, full resync its own, anything else amber.</summary>
    public static HealthVerdict Classify(SlaveLinkView link) => link.State switch
    {
        "streaming" => new HealthVerdict(LinkHealth.Green, "streaming"),
        ResyncProgress.FullResyncLinkState => new HealthVerdict(LinkHealth.Resyncing, "full resync"),
        var state => new HealthVerdict(LinkHealth.Amber, state),
    };

    // Semi-sync OFF while enabled means writes are answered without any slave holding them: not healthy. Late acks
    // are the step before (the timeout is near): amber, naming the slave.
    private static HealthVerdict ClassifyMaster(NodeStatus master)
    {
        if (master.SemiSync is { Enabled: true, Status: false })
        {
            return new HealthVerdict(LinkHealth.Red, "semi-sync OFF: writes do not wait for slaves");
        }

        var late = (master.Slaves ?? []).Where(s => s.State == "streaming" && s.LastAckLatencyMs > LateAckMs).ToList();
        if (late.Count > 0)
        {
            return new HealthVerdict(LinkHealth.Amber,
                $"acks late from {string.Join(", ", late.Select(s => $"{s.SlaveId} ({HumanFormat.Milliseconds(s.LastAckLatencyMs)})"))}");
        }

        return new HealthVerdict(LinkHealth.Green, master.SemiSync is { Enabled: true } ? "running, semi-sync ON" : "running");
    }
}
