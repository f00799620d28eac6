using ReplDash.Engine.Hosting;
using ReplDash.Engine.Replication;

namespace ReplDash.Web.Consistency;

/// <summary>
/// The check that follows a full resync asked from a run's page (issue 13: "full resync ... followed by a check"):
/// watches the slave's resync and, once it completed, queues a check of that slave; a failed resync is recorded
/// instead. The watch ends with the process (the resync itself then restarts from the slave's own state).
/// </summary>
public sealed class ResyncFollowUpCheck(ConsistencyService service, ClusterHost cluster, TimeProvider time, IHostApplicationLifetime lifetime,
    ILogger<ResyncFollowUpCheck> logger)
{
    /// <summary>How often the slave's resync progress is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A resync not finished within this time gets no follow-up check (recorded as such).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromHours(6);

    /// <summary>Text of the follow-up run's "started by", which names the run it follows (the run's page lists it).</summary>
    public static string StartedBy(string nodeId, long runId, string by) => $"check after the full resync of {nodeId} from check {runId} asked by {by}";

    /// <summary>Starts watching the resync of <paramref name="nodeId"/> begun at <paramref name="requestedAt"/> (or later).</summary>
    public void Watch(string nodeId, long runId, string by, DateTimeOffset requestedAt) => _ = WatchAsync(nodeId, runId, by, requestedAt);

    private async Task WatchAsync(string nodeId, long runId, string by, DateTimeOffset requestedAt)
    {
        var stopping = lifetime.ApplicationStopping;
        var deadline = requestedAt + MaxWait;
        try
        {
            using var timer = new PeriodicTimer(PollInterval, time);
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var progress = cluster.FindById(nodeId)?.Link?.Resync.Current();
                bool finished = progress is { FinishedAt: not null } && progress.StartedAt >= requestedAt;
                if (!finished)
                {
                    if (time.GetUtcNow() < deadline)
                        continue;
                    service.Publish(nodeId, "check-resync", $"Full resync of {nodeId} from check {runId} did not finish within {MaxWait.TotalHours} h; no check follows.");
                    return;
                }

                if (progress!.Phase != ResyncProgress.Completed)
                {
                    service.Publish(nodeId, "check-resync", $"Full resync of {nodeId} from check {runId} failed ({progress.Outcome}); no check follows.");
                    return;
                }

                if (service.Master is not { } master)
                    return;
                long id = await service.EnqueueAsync(master, [nodeId], CheckScope.Everything, StartedBy(nodeId, runId, by), null, stopping);
                service.Publish(nodeId, "check-resync", $"Full resync of {nodeId} from check {runId} completed; check {id} of {nodeId} follows.");
                return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The process stops; the slave's resync is the slave's business from here.
        }
        catch (Exception e)
        {
            // Never the host's failure: the resync went on, only its follow-up check is missing, and the log says so.
            logger.LogError(e, "The check following the full resync of {Node} from check {RunId} could not be started.", nodeId, runId);
        }
    }
}
