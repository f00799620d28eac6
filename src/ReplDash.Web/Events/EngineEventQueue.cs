using System.Threading.Channels;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Events;

/// <summary>
/// The dashboard's <see cref="IEngineEventSink"/>: a bounded queue that engine threads write to without
/// waiting, drained into the EF store by <see cref="EventStoreWriter"/>.
/// </summary>
public sealed class EngineEventQueue : IEngineEventSink
{
    /// <summary>Events held in memory before new ones are dropped (a stuck disk must not grow memory).</summary>
    public const int Capacity = 10_000;

    private readonly Channel<EngineEvent> _channel = Channel.CreateBounded<EngineEvent>(
        new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite this means "refuse", which we count
            SingleReader = true,
            SingleWriter = false,
        });

    private long _droppedCount;

    /// <summary>Events refused because the queue was full, since start.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    /// <summary>The consuming side, for the writer.</summary>
    public ChannelReader<EngineEvent> Reader => _channel.Reader;

    /// <summary>Queues the event; never blocks. When the queue is full the event is dropped and counted.</summary>
    public void Publish(EngineEvent engineEvent)
    {
        ArgumentNullException.ThrowIfNull(engineEvent);
        if (!_channel.Writer.TryWrite(engineEvent))
        {
            Interlocked.Increment(ref _droppedCount);
        }
    }
}
