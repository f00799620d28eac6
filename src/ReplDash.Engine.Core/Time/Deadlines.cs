namespace ReplDash.Engine.Core.Time;

/// <summary>
/// Deadline arithmetic that saturates instead of overflowing: a deadline too far away to represent becomes
/// "never" (<see cref="long.MaxValue"/>), never a time in the past. An overflow here once turned a huge
/// semi-sync timeout into an immediate fallback (issue 11).
/// </summary>
public static class Deadlines
{
    /// <summary>A deadline that never comes.</summary>
    public const long Never = long.MaxValue;

    /// <summary><paramref name="a"/> + <paramref name="b"/>, clamped to the range of a long.</summary>
    public static long AddSaturating(long a, long b)
    {
        long sum = unchecked(a + b);
        // Overflow happened when both operands have the same sign and the sum's sign differs.
        if (((a ^ sum) & (b ^ sum)) < 0)
            return a < 0 ? long.MinValue : long.MaxValue;
        return sum;
    }

    /// <summary><paramref name="ms"/> in microseconds, clamped to the range of a long.</summary>
    public static long MsToUs(long ms) =>
        ms > long.MaxValue / 1000 ? long.MaxValue : ms < long.MinValue / 1000 ? long.MinValue : ms * 1000;

    /// <summary>When a wait that began at <paramref name="startUs"/> and lasts <paramref name="timeoutMs"/> ends, in µs (saturated).</summary>
    public static long AfterMs(long startUs, long timeoutMs) => AddSaturating(startUs, MsToUs(timeoutMs));
}
