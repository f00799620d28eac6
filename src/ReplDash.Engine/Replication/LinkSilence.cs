namespace ReplDash.Engine.Replication;

/// <summary>
/// Acts when one direction of a link has been silent for a while: the link timeout (nothing received)
/// and heartbeats (nothing sent). One timer per period, not one per frame: the receive and ack loops used
/// to arm a timer around every frame, which cost a timer and a linked token per batch and per ack.
/// </summary>
internal static class LinkSilence
{
    // The shortest period waited: a zero or negative one would spin.
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Calls <paramref name="onSilence"/> each time <paramref name="lastActivity"/> (a <paramref name="time"/>
    /// timestamp) is <paramref name="period"/> old, until cancelled or <paramref name="onSilence"/> throws. Both the
    /// silence and the waits are measured on <paramref name="time"/>, the node's clock.
    /// </summary>
    public static async Task WhenSilentAsync(Func<long> lastActivity, TimeSpan period, Func<Task> onSilence, TimeProvider time,
        CancellationToken cancellation)
    {
        if (period < MinPeriod)
            period = MinPeriod;
        while (true)
        {
            var silent = SilentFor(lastActivity, time);
            if (silent >= period)
            {
                await onSilence();
                silent = SilentFor(lastActivity, time);
                if (silent >= period)
                    silent = TimeSpan.Zero; // onSilence did not count as activity: wait a whole period again
            }
            await Task.Delay(period - silent, time, cancellation);
        }
    }

    private static TimeSpan SilentFor(Func<long> lastActivity, TimeProvider time)
    {
        var silent = time.GetElapsedTime(lastActivity());
        return silent < TimeSpan.Zero ? TimeSpan.Zero : silent;
    }
}
