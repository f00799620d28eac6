namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// Lesson L5, before the first write: a restarted master whose slaves may hold more than its binlog (a tail lost to
/// damage, a data directory restored from an older copy, a power loss under SyncBinlog ≠ 1) refuses client writes
/// until every accepted slave has had its TrySync answered, or the wait passed (the engine's
/// ReplDash:Replication:HealWaitMs, DataNode.TailRecovery.cs). A write taken before would fork history at the very
/// position a slave holds an acknowledged transaction.
/// </summary>
public sealed partial class MasterMachine
{
    private HashSet<string>? _slavesHeard;
    private long _healWaitUntilUs;

    /// <summary>True while the master waits for its slaves' TrySyncs before it accepts writes.</summary>
    public bool AwaitingSlaves => _slavesHeard is not null;

    /// <summary>
    /// False while client writes must be refused (LOADING): the master waits for its slaves (<see cref="AwaitSlaves"/>), or a
    /// slave is sending back items (<see cref="SendingBack"/>). The driver asks before it runs a write; <see cref="Propose"/>
    /// throws otherwise.
    /// </summary>
    public bool AcceptsWrites => _slavesHeard is null && _sendBackLink is null;

    /// <summary>Refuse writes until every accepted slave reported (its TrySync answered) or <paramref name="waitMs"/> passed.</summary>
    public void AwaitSlaves(long waitMs, long nowUs)
    {
        if (waitMs <= 0 || _identity.AcceptedSlaves.Count == 0)
            return;
        _slavesHeard = new HashSet<string>(StringComparer.Ordinal);
        _healWaitUntilUs = nowUs + waitMs * 1000;
        _ready.Events.Add(new ProtocolEvent("heal-wait-start",
            $"Master {_identity.MasterId} restarted at {End}: client writes are refused (LOADING) until its {_identity.AcceptedSlaves.Count} " +
            $"configured slave(s) report their relay logs, at most {waitMs} ms."));
    }

    /// <summary>A slave's TrySync was answered (whatever the outcome): it has reported.</summary>
    private void SlaveReported(string? slaveId, long nowUs)
    {
        if (_slavesHeard is not { } heard || slaveId is null)
            return;
        heard.Add(slaveId);
        if (_identity.AcceptedSlaves.All(heard.Contains))
            EndHealWait($"every configured slave reported ({string.Join(", ", heard.Order(StringComparer.Ordinal))})");
    }

    private void CheckHealWait(long nowUs)
    {
        if (_slavesHeard is { } heard && nowUs >= _healWaitUntilUs)
            EndHealWait($"the wait passed (slaves heard: {(heard.Count == 0 ? "none" : string.Join(", ", heard.Order(StringComparer.Ordinal)))})");
    }

    private void EndHealWait(string reason)
    {
        _slavesHeard = null;
        _ready.Events.Add(new ProtocolEvent("heal-wait-end", $"Master {_identity.MasterId} accepts writes at {End}: {reason}."));
    }
}
