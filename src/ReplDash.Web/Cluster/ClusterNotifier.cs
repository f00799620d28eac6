using ReplDash.Engine.Hosting;

using ReplDash.Web.Hosting;

namespace ReplDash.Web.Cluster;

/// <summary>
/// Polls <see cref="IClusterStatus"/> on a fixed interval and tells subscribed pages when something
/// changed. Pages never poll the engine themselves, so the engine's cost stays one read per interval
/// however many browsers watch, and a page never renders more often than the interval.
/// </summary>
public sealed partial class ClusterNotifier : BackgroundService
{
    /// <summary>Time between two reads of the cluster status: four refreshes a second at most.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly IClusterStatus _clusterStatus;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ClusterNotifier> _logger;
    private readonly RemoteSlaveMemory _remoteSlaves = new();
    private volatile ClusterSnapshot? _latest;

    /// <summary>Creates the notifier over the engine's read model.</summary>
    public ClusterNotifier(IClusterStatus clusterStatus, TimeProvider timeProvider, ILogger<ClusterNotifier> logger)
    {
        _clusterStatus = clusterStatus;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Raised on the polling thread with each snapshot that differs from the previous one.</summary>
    public event Action<ClusterSnapshot>? SnapshotChanged;

    /// <summary>
    /// Raised on the polling thread with every snapshot read, changed or not: for consumers that promise a
    /// steady rate (the SignalR hub). Handlers must only hand the snapshot on, never wait.
    /// </summary>
    public event Action<ClusterSnapshot>? SnapshotTaken;

    /// <summary>The most recent snapshot; read once on demand before the first poll so first renders show data.</summary>
    public ClusterSnapshot Latest => _latest ??= Read();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Poll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    /// <summary>Reads the status once and notifies subscribers when it changed. Public for tests.</summary>
    public void Poll()
    {
        ClusterSnapshot snapshot;
        try
        {
            snapshot = Read();
        }
        catch (Exception ex)
        {
            // A failing read must not end the loop: the next tick may succeed (a node restarting).
            LogReadFailed(ex);
            return;
        }

        var previous = _latest;
        _latest = snapshot;
        if (previous is null || !snapshot.SameNodesAs(previous))
        {
            Notify(SnapshotChanged, snapshot);
        }

        Notify(SnapshotTaken, snapshot);
    }

    private ClusterSnapshot Read()
    {
        var nodes = _clusterStatus.Nodes();
        return new ClusterSnapshot(_timeProvider.GetUtcNow(), nodes) { RemoteSlaves = _remoteSlaves.Remember(nodes) };
    }

    // One by one, so that one broken circuit does not stop the others from updating.
    private void Notify(Action<ClusterSnapshot>? subscribers, ClusterSnapshot snapshot) =>
        Subscribers.InvokeEach(subscribers, snapshot, LogSubscriberFailed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the cluster status failed")]
    private partial void LogReadFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster snapshot subscriber failed")]
    private partial void LogSubscriberFailed(Exception ex);
}
