namespace ReplDash.Engine.Replication;

/// <summary>
/// Acts when one direction of a link has been silent for a while: the link timeout (nothing received)
/// and heartbeats (nothing sent). One timer per period, not one per frame: the receive and ack loops used
/// to arm a timer around every frame, which cost a timer and a linked token per batch and per ack.
/// </summary>
internal static class LinkSilence
{
    /// <summary>
    /// Calls <paramref name="onSilence"/> each time <paramref name="lastActivityMs"/> (an
    /// <see cref="Environment.TickCount64"/> reading) is <paramref name="period"/> old, until cancelled or
    /// <paramref name="onSilence"/> throws.
    /// </summary>
    public static async Task WhenSilentAsync(Func<long> lastActivityMs, TimeSpan period, Func<Task> onSilence, CancellationToken cancellation)
    {
        long periodMs = Math.Max(1, (long)period.TotalMilliseconds);
        while (true)
        {
            long silentMs = Environment.TickCount64 - lastActivityMs();
            if (silentMs >= periodMs)
            {
                await onSilence();
                silentMs = Math.Max(0, Environment.TickCount64 - lastActivityMs());
                if (silentMs >= periodMs)
                    silentMs = 0; // onSilence did not count as activity: wait a whole period again
            }
            await Task.Delay(TimeSpan.FromMilliseconds(periodMs - silentMs), cancellation);
        }
    }
}
