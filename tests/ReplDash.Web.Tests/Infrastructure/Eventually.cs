namespace ReplDash.Web.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: tests wait for effects, never for fixed times.</summary>
public static class Eventually
{
    /// <summary>Default deadline; generous because CI machines have two cores.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Returns the first non-null result of <paramref name="probe"/>; fails with <paramref name="what"/> at the deadline.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var result = await probe();
            if (result is not null)
            {
                return result;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0}s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> is true; fails with <paramref name="what"/> at the deadline.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        GetAsync<object>(async () => await condition() ? new object() : null, what, timeout);
}
