using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using ReplDash.Web.Api;
using ReplDash.Web.Cluster;
using ReplDash.Web.Events;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Hubs;

/// <summary>
/// Pushes the notifier's snapshots (every tick, changed or not: a steady 4 per second) and every stored
/// event to all <see cref="ClusterHub"/> clients. The notifier and the event writer only drop an item into
/// a channel; two loops here do the sending, so a slow client can never hold back a poll or a database write.
/// </summary>
public sealed partial class ClusterHubBroadcaster : BackgroundService
{
    /// <summary>Events waiting to be pushed before the oldest are dropped (hub clients can read the rest from /api/events).</summary>
    public const int EventBacklogCapacity = 1_000;

    /// <summary>
    /// Longest one push may wait on slow clients (a client whose socket does not drain fills its buffer, and
    /// then writes to it wait). Past it the push is cancelled and the loop moves on to the newest message.
    /// </summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    // Capacity 1, drop oldest: when sending falls behind, only the newest snapshot is worth sending.
    private readonly Channel<ClusterSnapshot> _snapshots = Channel.CreateBounded<ClusterSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

    private readonly Channel<EventDto> _events;
    private readonly IHubContext<ClusterHub> _hub;
    private readonly ClusterNotifier _notifier;
    private readonly StoredEventFeed _feed;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ClusterHubBroadcaster> _logger;
    private long _droppedEventCount;
    private long _droppedEventsLogged;

    /// <summary>Creates the broadcaster; it subscribes when the host starts it.</summary>
    public ClusterHubBroadcaster(IHubContext<ClusterHub> hub, ClusterNotifier notifier, StoredEventFeed feed, TimeProvider timeProvider,
        ILogger<ClusterHubBroadcaster> logger)
    {
        _hub = hub;
        _notifier = notifier;
        _feed = feed;
        _timeProvider = timeProvider;
        _logger = logger;
        _events = Channel.CreateBounded<EventDto>(
            new BoundedChannelOptions(EventBacklogCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => Interlocked.Increment(ref _droppedEventCount));
    }

    /// <summary>Subscribes before the loops start (they may start later, on the thread pool), so no tick is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _notifier.SnapshotTaken += OnSnapshotTaken;
        _feed.Stored += OnEventsStored;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Stops the loops, then unsubscribes.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        finally
        {
            _notifier.SnapshotTaken -= OnSnapshotTaken;
            _feed.Stored -= OnEventsStored;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(PushSnapshotsAsync(stoppingToken), PushEventsAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    // Called on the notifier's polling thread: hand over, never wait.
    private void OnSnapshotTaken(ClusterSnapshot snapshot) => _snapshots.Writer.TryWrite(snapshot);

    // Called on the event writer's thread right after its commit: hand over, never wait.
    private void OnEventsStored(IReadOnlyList<EventRecord> records)
    {
        foreach (var record in records)
        {
            _events.Writer.TryWrite(EventDto.From(record));
        }
    }

    private async Task PushSnapshotsAsync(CancellationToken stoppingToken)
    {
        await foreach (var snapshot in _snapshots.Reader.ReadAllAsync(stoppingToken))
        {
            var message = ClusterSnapshotMessage.From(snapshot, _timeProvider.GetUtcNow());
            await SendAsync(ClusterHub.SnapshotMethod, message, stoppingToken);
        }
    }

    private async Task PushEventsAsync(CancellationToken stoppingToken)
    {
        await foreach (var dto in _events.Reader.ReadAllAsync(stoppingToken))
        {
            ReportDroppedEvents();
            await SendAsync(ClusterHub.EventMethod, dto, stoppingToken);
        }
    }

    private async Task SendAsync(string method, object message, CancellationToken stoppingToken)
    {
        // The timeout runs on the injected clock, so tests decide whether it can fire.
        using var timeout = new CancellationTokenSource(SendTimeout, _timeProvider);
        using var sendCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _hub.Clients.All.SendAsync(method, message, sendCancellation.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            LogSendTimedOut(method, SendTimeout.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A push that failed is lost for hub clients only: the next tick carries a full snapshot again.
            LogSendFailed(ex, method);
        }
    }

    private void ReportDroppedEvents()
    {
        var dropped = Interlocked.Read(ref _droppedEventCount);
        if (dropped > _droppedEventsLogged)
        {
            LogEventsDropped(dropped - _droppedEventsLogged);
            _droppedEventsLogged = dropped;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub push '{Method}' waited {TimeoutMs} ms on slow clients and was cancelled")]
    private partial void LogSendTimedOut(string method, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub push '{Method}' failed")]
    private partial void LogSendFailed(Exception ex, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events were not pushed to hub clients: the hub backlog was full")]
    private partial void LogEventsDropped(long count);
}
