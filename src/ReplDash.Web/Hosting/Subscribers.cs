namespace ReplDash.Web.Hosting;

/// <summary>Raising an event to in-process subscribers (pages, the hub) where one failing subscriber must not stop the others.</summary>
public static class Subscribers
{
    /// <summary>Calls each handler of <paramref name="handlers"/> in turn; a handler that throws is reported to <paramref name="failed"/>.</summary>
    public static void InvokeEach<T>(Action<T>? handlers, T value, Action<Exception> failed)
    {
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(value);
            }
            catch (Exception ex)
            {
                failed(ex);
            }
        }
    }
}
