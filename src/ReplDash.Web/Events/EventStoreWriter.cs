using Microsoft.EntityFrameworkCore;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Events;

/// <summary>
/// Drains <see cref="EngineEventQueue"/> into the dashboard store in batches, so that a burst of events
/// costs one transaction rather than one per event.
/// </summary>
public sealed partial class EventStoreWriter : BackgroundService
{
    /// <summary>Most events written in one SaveChanges.</summary>
    public const int MaxBatchSize = 256;

    private readonly EngineEventQueue _queue;
    private readonly IDbContextFactory<DashboardDbContext> _contextFactory;
    private readonly StoredEventFeed _feed;
    private readonly ILogger<EventStoreWriter> _logger;
    private long _droppedReported;

    /// <summary>Creates the writer over the shared queue; committed batches are announced on <paramref name="feed"/>.</summary>
    public EventStoreWriter(EngineEventQueue queue, IDbContextFactory<DashboardDbContext> contextFactory, StoredEventFeed feed,
        ILogger<EventStoreWriter> logger)
    {
        _queue = queue;
        _contextFactory = contextFactory;
        _feed = feed;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<EngineEvent>(MaxBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailableAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: keep what is already queued (node-stop events arrive exactly now).
            await WriteAvailableAsync(batch, CancellationToken.None);
        }
    }

    private async Task WriteAvailableAsync(List<EngineEvent> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            AddDroppedNotice(batch);
            while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var engineEvent))
            {
                batch.Add(engineEvent);
            }

            if (batch.Count == 0)
            {
                return;
            }

            List<EventRecord> records;
            try
            {
                await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
                records = batch.Select(ToRecord).ToList();
                context.Events.AddRange(records);
                await context.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Events are operator information, not replicated data: losing a batch beats stopping the host.
                LogBatchLost(ex, batch.Count);
                continue;
            }

            // After the commit, so that listeners see ids and never an event the store does not hold.
            _feed.Publish(records);
        }
    }

    private void AddDroppedNotice(List<EngineEvent> batch)
    {
        var dropped = _queue.DroppedCount;
        if (dropped > _droppedReported)
        {
            batch.Add(new EngineEvent(DateTimeOffset.UtcNow, DashboardEvents.DashboardNodeId, DashboardEvents.EventsDroppedKind,
                $"{dropped - _droppedReported} events were dropped because the event queue was full."));
            _droppedReported = dropped;
        }
    }

    /// <summary>Maps an engine event to its stored row, cutting fields to the column limits.</summary>
    public static EventRecord ToRecord(EngineEvent engineEvent) => new()
    {
        TimeUtc = engineEvent.Time.UtcDateTime,
        NodeId = Cut(engineEvent.NodeId, EventRecordConfiguration.NodeIdMaxLength),
        Kind = Cut(engineEvent.Kind, EventRecordConfiguration.KindMaxLength),
        Message = Cut(engineEvent.Message, EventRecordConfiguration.MessageMaxLength),
    };

    private static string Cut(string? value, int maxLength) =>
        value is null ? "" : value.Length <= maxLength ? value : value[..maxLength];

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} dashboard events; they are lost")]
    private partial void LogBatchLost(Exception ex, int count);
}
