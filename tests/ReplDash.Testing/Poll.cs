namespace ReplDash.Testing;

/// <summary>Waits for a condition with a deadline, checking every 20 ms: tests wait for effects, never for fixed times.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; at the deadline throws naming <paramref name="what"/> (and <paramref name="describe"/>'s state).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}" + (describe is null ? "" : ": " + await describe()));
            await Task.Delay(20);
        }
    }

    /// <summary>The same for a condition that needs no I/O.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
