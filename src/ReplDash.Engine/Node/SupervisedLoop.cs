using Microsoft.Extensions.Logging;

namespace ReplDash.Engine.Node;

/// <summary>What a supervisor does when its loop throws something unexpected.</summary>
public enum LoopFailureAction
{
    /// <summary>Log it, raise <c>loop-failed</c>, wait a bounded backoff, restart the loop and raise <c>loop-restarted</c>.</summary>
    Restart,
    /// <summary>Log it, raise <c>loop-failed</c> and fail the node (state Failed, the reason shown): the loop's work cannot be redone safely.</summary>
    FailNode,
}

/// <summary>
/// Runs one background loop of a node so that it never stops silently (issue 11: a semi-sync timeout loop that
/// died on an exception left writes waiting forever, and nothing said so). The loop's body ends normally when
/// its work is over (the node stops or fails), or with <see cref="OperationCanceledException"/> once stopping;
/// any other exception is logged with the loop's name, raised as an engine event, and then either the loop is
/// restarted after a backoff on the node's <see cref="TimeProvider"/> (100 ms doubling to 5 s, back to 100 ms
/// once a run has lasted longer than that), or the node is failed with the reason.
/// </summary>
/// <param name="name">The loop's name in logs and events (semisync-timeout, maintenance, replication-link...).</param>
/// <param name="onFailure">Restart, or fail the node.</param>
/// <param name="host">The node the loop belongs to: its id, clock, logger, events and failure.</param>
internal sealed class SupervisedLoop(string name, LoopFailureAction onFailure, ISupervisedLoopHost host)
{
    /// <summary>First wait before a restart.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait before a restart: a loop that keeps failing is retried (and reported) at most this often.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private long _failures;

    /// <summary>The loop's name.</summary>
    public string Name { get; } = name;

    /// <summary>Unexpected exceptions caught so far.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Starts the loop on the thread pool; the task ends when the loop has ended for good.</summary>
    public Task Start(Func<CancellationToken, Task> body) => Task.Run(() => RunAsync(body));

    /// <summary>Runs the loop until it ends normally, the node stops, or (<see cref="LoopFailureAction.FailNode"/>) it fails.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> body)
    {
        var stopping = host.Stopping;
        var backoff = MinBackoff;
        while (!stopping.IsCancellationRequested)
        {
            long startedAt = host.Time.GetTimestamp();
            try
            {
                await body(stopping);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _failures);
                string error = $"{e.GetType().Name}: {e.Message}";
                if (onFailure == LoopFailureAction.FailNode)
                {
                    host.Logger.LogError(e, "Node {NodeId}: the {Loop} loop failed; failing the node", host.NodeId, Name);
                    host.PublishEvent("loop-failed", $"The {Name} loop failed ({error}); the node stops serving.");
                    host.FailFromLoop($"the {Name} loop failed: {error}", e);
                    return;
                }
                // A loop that ran well for longer than the longest backoff starts over from the shortest one.
                if (host.Time.GetElapsedTime(startedAt) > MaxBackoff)
                    backoff = MinBackoff;
                host.Logger.LogError(e, "Node {NodeId}: the {Loop} loop failed; restarting it in {BackoffMs} ms", host.NodeId, Name, backoff.TotalMilliseconds);
                host.PublishEvent("loop-failed", $"The {Name} loop failed ({error}); restarting it in {backoff.TotalMilliseconds:0} ms.");
            }
            try
            {
                await Task.Delay(backoff, host.Time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!host.IsRunning)
                return; // the node failed or stopped meanwhile: nothing to restart for
            host.PublishEvent("loop-restarted", $"The {Name} loop was restarted after {Failures} failure(s).");
            host.Logger.LogWarning("Node {NodeId}: the {Loop} loop was restarted", host.NodeId, Name);
            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }
}

/// <summary>What a <see cref="SupervisedLoop"/> needs from the node it runs for.</summary>
internal interface ISupervisedLoopHost
{
    /// <summary>The node's id, for logs.</summary>
    string NodeId { get; }

    /// <summary>The node's clock: backoffs wait on it.</summary>
    TimeProvider Time { get; }

    /// <summary>The node's logger.</summary>
    ILogger Logger { get; }

    /// <summary>Cancelled when the node stops: loops end, and are not restarted.</summary>
    CancellationToken Stopping { get; }

    /// <summary>True while the node serves (a loop is restarted only then).</summary>
    bool IsRunning { get; }

    /// <summary>Raises an engine event for the node.</summary>
    void PublishEvent(string kind, string message);

    /// <summary>Fails the node with <paramref name="reason"/> (state Failed, the reason shown to operators).</summary>
    void FailFromLoop(string reason, Exception failure);
}
