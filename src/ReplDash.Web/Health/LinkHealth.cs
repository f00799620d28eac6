namespace ReplDash.Web.Health;

/// <summary>The traffic light of a node or link on the Overview.</summary>
public enum LinkHealth
{
    /// <summary>Streaming and caught up (a slave), or running (a master).</summary>
    Green,

    /// <summary>On its way or behind: starting, handshake, full resync, connecting, draining, lagging.</summary>
    Amber,

    /// <summary>Not replicating: link down or silent past the link timeout, node stopped or failed.</summary>
    Red,

    /// <summary>A full resync runs: the slave is loading a fresh snapshot from its master (its own state, with progress).</summary>
    Resyncing,
}

/// <summary>A light and the words that explain it (for the tooltip and for screen readers).</summary>
/// <param name="Light">The colour.</param>
/// <param name="Reason">Why, in a few words: "streaming", "lagging 3.4 s", "link down", "full resync: receiving 45%".</param>
public sealed record HealthVerdict(LinkHealth Light, string Reason)
{
    /// <summary>The lowercase colour name used in CSS classes and data-health attributes.</summary>
    public string CssName => Light switch
    {
        LinkHealth.Green => "green",
        LinkHealth.Amber => "amber",
        LinkHealth.Resyncing => "resync",
        _ => "red",
    };
}
