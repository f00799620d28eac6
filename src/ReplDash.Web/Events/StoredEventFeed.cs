using ReplDash.Web.Hosting;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Events;

/// <summary>
/// Tells in-process listeners (the SignalR hub) about events once they are stored, so that what they push
/// carries the same id as <c>/api/events</c> and the Events page.
/// </summary>
public sealed partial class StoredEventFeed
{
    private readonly ILogger<StoredEventFeed> _logger;
    private long _version;

    /// <summary>Creates the feed.</summary>
    public StoredEventFeed(ILogger<StoredEventFeed> logger) => _logger = logger;

    /// <summary>Grows with every committed batch: a page re-reads stored events only when it changed (and then finds them).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised on the store writer's thread with each batch just committed, oldest first. Handlers must not wait.</summary>
    public event Action<IReadOnlyList<EventRecord>>? Stored;

    /// <summary>Hands a committed batch to every listener; a failing listener neither stops the others nor the writer.</summary>
    public void Publish(IReadOnlyList<EventRecord> records)
    {
        if (records.Count > 0)
        {
            Interlocked.Increment(ref _version);
            Subscribers.InvokeEach(Stored, records, LogListenerFailed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A stored-event listener failed")]
    private partial void LogListenerFailed(Exception ex);
}
