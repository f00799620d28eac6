namespace ReplDash.Engine.Replication;

/// <summary>
/// The loops of one streaming link (send, receive, heartbeats, watchdog...), run together: the first to end
/// ends the link, so the others are stopped and waited for, then the reason the first ended is rethrown.
/// </summary>
internal static class SessionLoops
{
    public static async Task RunAsync(CancellationToken cancellation, params Func<CancellationToken, Task>[] loops)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var running = loops.Select(loop => loop(session.Token)).ToArray();
        var finished = await Task.WhenAny(running);
        session.Cancel();
        await Task.WhenAll(running.Select(loop => loop.ContinueWith(_ => { })));
        await finished; // surface why the link ended
    }
}
