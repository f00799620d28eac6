using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// Redis's WAIT numreplicas timeout: how many slaves acknowledged a client's last write synced to their relay log.
/// Counted like semi-sync (one per accepted slave id, a slave after a snapshot only from its first ack). While a WAIT is
/// pending, batches ask for an ack at once, and a WAIT that is not satisfied at once asks every streaming slave with
/// items in flight for a prompt ack (an empty ItemBatch with AckNow, Redis's REPLCONF GETACK).
/// </summary>
public sealed partial class MasterMachine
{
    private readonly List<PendingWait> _waits = new();

    private sealed record PendingWait(long RequestId, BinlogPosition Target, int Wanted, long? DeadlineUs);

    /// <summary>WAIT commands not answered yet.</summary>
    public int PendingWaits => _waits.Count;

    /// <summary>
    /// A client's WAIT for <paramref name="wanted"/> slaves holding everything before <paramref name="target"/>, for at most
    /// <paramref name="timeoutMs"/> (null: no limit). Its answer comes in <see cref="MasterReady.WaitReplies"/>.
    /// </summary>
    public void Wait(long requestId, BinlogPosition target, int wanted, long? timeoutMs, long nowUs)
    {
        int count = CountSlavesHolding(target);
        if (count >= wanted)
        {
            _ready.WaitReplies.Add((requestId, count));
            return;
        }
        _waits.Add(new PendingWait(requestId, target, wanted, timeoutMs is long ms ? nowUs + ms * 1000 : null));
        foreach (var session in _sessions.Values)
            if (session.Phase == MasterSessionPhase.Streaming && session.Window!.InFlightItems > 0)
                Send(session, new ItemBatch(0, [], AckNow: true), nowUs);
    }

    /// <summary>Answers the WAITs whose count is reached or whose deadline passed.</summary>
    private void AnswerWaits(long nowUs)
    {
        for (int i = 0; i < _waits.Count; i++)
        {
            var wait = _waits[i];
            int count = CountSlavesHolding(wait.Target);
            if (count < wait.Wanted && (wait.DeadlineUs is not long deadline || nowUs < deadline))
                continue;
            _ready.WaitReplies.Add((wait.RequestId, count));
            _waits.RemoveAt(i--);
        }
    }

    /// <summary>Slaves (one per id) that acknowledged everything before <paramref name="target"/> synced.</summary>
    private int CountSlavesHolding(BinlogPosition target)
    {
        bool unsafeSent = _options.Has(UnsafeSwitches.WaitCountsSentAsAcked);
        var acks = new Dictionary<string, BinlogPosition>(StringComparer.Ordinal);
        foreach (var s in _sessions.Values)
            if (s.Phase == MasterSessionPhase.Streaming && (s.Confirmed || unsafeSent) && s.SlaveId is { } id)
            {
                // UNSAFE (tests only): what was sent counts as held.
                var held = unsafeSent ? s.Window!.SentEnd : s.Window!.AckedEnd;
                acks[id] = acks.TryGetValue(id, out var other) ? BinlogPosition.Min(other, held) : held;
            }
        return acks.Values.Count(held => held >= target);
    }

    private long? WaitDeadline()
    {
        long? next = null;
        foreach (var wait in _waits)
            if (wait.DeadlineUs is long deadline)
                next = Earliest(next, deadline);
        return next;
    }
}
