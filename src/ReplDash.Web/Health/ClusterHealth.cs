using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;

namespace ReplDash.Web.Health;

/// <summary>The health verdicts pages show: the classifier fed with the latest link-down event of each node.</summary>
public sealed class ClusterHealth
{
    private readonly LatestNodeEvents _events;

    /// <summary>Creates the service over the latest-event map.</summary>
    public ClusterHealth(LatestNodeEvents events) => _events = events;

    /// <summary>The verdict for <paramref name="node"/> at <paramref name="now"/> (the snapshot's time).</summary>
    public HealthVerdict Of(NodeStatus node, DateTimeOffset now) =>
        LinkHealthClassifier.Classify(node, _events.For(node.Id, LinkHealthClassifier.LinkDownEventKind)?.Time, now);
}
