namespace ReplDash.Engine.Core.Commands;

/// <summary>Turns a client's expiry argument into absolute Unix milliseconds, refusing overflow as Redis does.</summary>
internal static class ExpiryMath
{
    /// <summary>
    /// <paramref name="amount"/> in seconds or milliseconds, plus <paramref name="baseMs"/> (0 for absolute
    /// times). False when the result does not fit in 64 bits.
    /// </summary>
    public static bool TryToAbsoluteMs(long amount, bool seconds, long baseMs, out long atMs)
    {
        atMs = 0;
        long ms = amount;
        if (seconds)
        {
            if (amount > long.MaxValue / 1000 || amount < long.MinValue / 1000)
                return false;
            ms = amount * 1000;
        }
        if ((baseMs > 0 && ms > long.MaxValue - baseMs) || (baseMs < 0 && ms < long.MinValue - baseMs))
            return false;
        atMs = ms + baseMs;
        return true;
    }
}
