namespace ReplDash.Web.Events;

/// <summary>What an event kind means for an operator, so trouble and recovery never look alike.</summary>
public enum EventTone
{
    /// <summary>Something went wrong or stopped working: a link dropped, a node failed, semi-sync went OFF.</summary>
    Trouble,

    /// <summary>Something came back: a link up, a node started, semi-sync ON, a resync finished.</summary>
    Recovery,

    /// <summary>Someone (or a test) acted: a resync requested, a fault armed, a setting changed.</summary>
    Operator,

    /// <summary>Routine: progress, purges, replays.</summary>
    Info,
}

/// <summary>Sorts event kinds into <see cref="EventTone"/>s (plain C#, so tests check it without a browser).</summary>
public static class EventKindStyle
{
    private static readonly HashSet<string> TroubleKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        "link-down", "link-timeout", "link-refused", "node-failed", "node-stop", "semisync-off", "slow-apply",
        "window-corruption", "fault-hit", "torn-tail-truncated", "full-resync-discarded",
    };

    private static readonly HashSet<string> RecoveryKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        "link-up", "node-start", "semisync-on", "full-resync-end",
    };

    private static readonly HashSet<string> OperatorKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        "operator-resync", "fault-armed", "semisync-config", "full-resync-requested",
    };

    /// <summary>The tone of <paramref name="kind"/>; unknown kinds that say fail/down/error are trouble, the rest info.</summary>
    public static EventTone Of(string kind) =>
        TroubleKinds.Contains(kind) ? EventTone.Trouble
        : RecoveryKinds.Contains(kind) ? EventTone.Recovery
        : OperatorKinds.Contains(kind) ? EventTone.Operator
        : kind.Contains("fail", StringComparison.OrdinalIgnoreCase) || kind.Contains("down", StringComparison.OrdinalIgnoreCase)
          || kind.Contains("error", StringComparison.OrdinalIgnoreCase) ? EventTone.Trouble
        : EventTone.Info;

    /// <summary>The CSS name of a tone (event-trouble, event-recovery...), also in data-tone attributes.</summary>
    public static string CssName(EventTone tone) => tone.ToString().ToLowerInvariant();
}
