using ReplDash.Engine.Hosting;
using ReplDash.Web.Formatting;

namespace ReplDash.Web.Health;

/// <summary>
/// Decides the colour of a node on the Overview from its status alone, so every page and test agrees:
/// green streaming / amber handshake, full-resync, connecting, lagging / red down, diverged, stopped, failed.
/// </summary>
public static class LinkHealthClassifier
{
    /// <summary>A streaming slave whose oldest unapplied write is older than this is lagging (amber).</summary>
    public const long LaggingMs = 1000;

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
            return new HealthVerdict(LinkHealth.Green, "running");
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

    /// <summary>The colour of a master's view of one slave link: streaming green, anything else amber.</summary>
    public static HealthVerdict Classify(SlaveLinkView link) => link.State == "streaming"
        ? new HealthVerdict(LinkHealth.Green, "streaming")
        : new HealthVerdict(LinkHealth.Amber, link.State);
}
