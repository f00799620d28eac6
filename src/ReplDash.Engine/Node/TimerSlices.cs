namespace ReplDash.Engine.Node;

/// <summary>
/// Bounds every timer the engine arms. A .NET timer takes at most about 49.7 days (2^32 - 2 ms) and throws beyond;
/// that exception once killed the semi-sync timeout loop (issue 11). A longer wait is slept in slices of at most
/// <see cref="Longest"/>, and the waiting loop checks its deadline again after each.
/// </summary>
internal static class TimerSlices
{
    /// <summary>The longest single timer armed.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    private static readonly long LongestUs = (long)Longest.TotalMicroseconds;

    /// <summary><paramref name="wait"/>, at least zero and at most <see cref="Longest"/>.</summary>
    public static TimeSpan Clamp(TimeSpan wait) => wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > Longest ? Longest : wait;

    /// <summary>A wait of <paramref name="us"/> microseconds (any long), at least zero and at most <see cref="Longest"/>.</summary>
    public static TimeSpan FromMicroseconds(long us) => us <= 0 ? TimeSpan.Zero : us >= LongestUs ? Longest : TimeSpan.FromMicroseconds(us);
}
