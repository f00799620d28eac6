namespace ReplDash.Engine.Hosting;

/// <summary>Something an operator should be able to find later: a node start or stop, a recovery action...</summary>
/// <param name="Time">When it happened.</param>
/// <param name="NodeId">Which node.</param>
/// <param name="Kind">Short stable name: node-start, node-stop, torn-tail-truncated, items-replayed, node-failed...</param>
/// <param name="Message">One human-readable sentence, never containing a secret.</param>
public sealed record EngineEvent(DateTimeOffset Time, string NodeId, string Kind, string Message);

/// <summary>
/// Receives engine events. Must not block the caller: implementations queue and persist in the background.
/// </summary>
public interface IEngineEventSink
{
    void Publish(EngineEvent engineEvent);
}
