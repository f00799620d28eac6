using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using ReplDash.Web.Consistency;

namespace ReplDash.Web.Hubs;

/// <summary>
/// Pushes consistency-check progress to <see cref="ClusterHub"/> clients as <see cref="ClusterHub.CheckProgressMethod"/>
/// messages (<see cref="CheckProgress"/>): the newest progress of each changed run, at most four times a second, so a
/// fast check never floods clients; the final state of a run is always sent.
/// </summary>
public sealed class CheckProgressBroadcaster(IHubContext<ClusterHub> hub, ConsistencyService checks, TimeProvider time,
    ILogger<CheckProgressBroadcaster> logger) : BackgroundService
{
    /// <summary>Time between pushes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, CheckProgress> _changed = new();

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        checks.Progressed += OnProgress;
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        checks.Progressed -= OnProgress;
        return base.StopAsync(cancellationToken);
    }

    private void OnProgress(CheckProgress progress) => _changed[progress.RunId] = progress;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var runId in _changed.Keys)
                {
                    if (!_changed.TryRemove(runId, out var progress))
                        continue;
                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        timeout.CancelAfter(ClusterHubBroadcaster.SendTimeout);
                        await hub.Clients.All.SendAsync(ClusterHub.CheckProgressMethod, progress, timeout.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogDebug("Check progress push timed out; the next one carries the newer state.");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
