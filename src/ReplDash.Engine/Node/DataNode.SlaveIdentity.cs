namespace ReplDash.Engine.Node;

/// <summary>
/// Which slaves a master accepts, one link each (docs/REPLICATION-PROTOCOL.md, "Who may link"): semi-sync's promise
/// rests on who is counted, so a slave identity is a configured id, held by at most one link at a time.
/// </summary>
public sealed partial class DataNode
{
    // Registration checks and adds under this lock, so two handshakes for one id cannot both get a link.
    private readonly object _slaveIdentityGate = new();
    private TaskCompletionSource _slaveLinkRemoved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The clock this node runs on (sync sessions take their deadlines from it).</summary>
    public TimeProvider Time => _time;

    /// <summary>True when this master's configuration names <paramref name="slaveId"/> as one of its slaves.</summary>
    public bool AcceptsSlave(string slaveId) => _settings.SlaveIds.Contains(slaveId);

    /// <summary>Completes the next time a slave link is removed (take it before trying to register).</summary>
    public Task SlaveLinkRemoved => Volatile.Read(ref _slaveLinkRemoved).Task;

    private void SignalSlaveLinkRemoved() =>
        Interlocked.Exchange(ref _slaveLinkRemoved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
