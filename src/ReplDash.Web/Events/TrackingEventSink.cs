using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Events;

/// <summary>The engine's event sink as the dashboard registers it: each event is queued for the store and noted as its node's latest.</summary>
public sealed class TrackingEventSink : IEngineEventSink
{
    private readonly EngineEventQueue _queue;
    private readonly LatestNodeEvents _latest;

    /// <summary>Creates the sink over the store queue and the latest-event map.</summary>
    public TrackingEventSink(EngineEventQueue queue, LatestNodeEvents latest)
    {
        _queue = queue;
        _latest = latest;
    }

    /// <inheritdoc />
    public void Publish(EngineEvent engineEvent)
    {
        _queue.Publish(engineEvent);
        _latest.Record(engineEvent);
    }
}
