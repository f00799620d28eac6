using ReplDash.Engine.Hosting;
using ReplDash.Web.Formatting;

namespace ReplDash.Web.Health;

/// <summary>
/// What the dashboard says about a slave's full resync, from <see cref="MasterLinkView.Resync"/> (the engine's
/// progress) or, where the engine reports none, from the link state "full-resync" alone.
/// </summary>
public static class ResyncProgress
{
    /// <summary>The link state of a slave loading a snapshot.</summary>
    public const string FullResyncLinkState = "full-resync";

    /// <summary>True while a full resync runs: the engine's progress is not finished, or the link says full-resync.</summary>
    public static bool IsRunning(MasterLinkView? link) =>
        link is not null && (link.Resync is { FinishedAt: null } || link.LinkState == FullResyncLinkState);

    /// <summary>True when the progress is finished (completed or failed).</summary>
    public static bool IsFinished(ResyncProgressView? progress) => progress is { FinishedAt: not null };

    /// <summary>Percent of the snapshot's keys received, or null while the total is unknown.</summary>
    public static double? Percent(ResyncProgressView progress) =>
        progress.KeysTotal > 0 ? Math.Clamp(100.0 * progress.KeysReceived / progress.KeysTotal, 0, 100) : null;

    /// <summary>"receiving 45% (7.2k of 16k keys)", "requested", "catching-up".</summary>
    public static string Summary(MasterLinkView link) => link.Resync is not { } progress
        ? "full resync"
        : Percent(progress) is { } percent && progress.Phase is "receiving" or "loading"
            ? $"{progress.Phase} {percent:0}% ({HumanFormat.Compact(progress.KeysReceived)} of {HumanFormat.Compact(progress.KeysTotal)} keys)"
            : progress.Phase;

    /// <summary>Keys per second, bytes per second (received bytes over the elapsed time) and elapsed time, as people read them.</summary>
    public static string Rate(ResyncProgressView progress, DateTimeOffset now)
    {
        var elapsed = ((progress.FinishedAt ?? now) - progress.StartedAt).TotalSeconds;
        var bytesPerSecond = elapsed > 0 ? progress.BytesReceived / elapsed : 0;
        return $"{HumanFormat.Compact(progress.KeysPerSecond)} keys/s · {HumanFormat.BytesPerSecond(bytesPerSecond)}";
    }
}
