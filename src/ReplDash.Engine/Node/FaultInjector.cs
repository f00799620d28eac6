using System.Collections.Concurrent;

namespace ReplDash.Engine.Node;

/// <summary>Named places where a test can make a node misbehave on purpose (POST /api/faults).</summary>
public enum FaultPoint
{
    /// <summary>Slave: delay the apply of each of the next Count items by DelayMs.</summary>
    SlowApply,
    /// <summary>Slave: exit at once after writing received items to the relay log, before acknowledging them.</summary>
    CrashAfterRelayWriteBeforeAck,
    /// <summary>Slave: exit at once after applying an item in memory, before the next checkpoint commits it.</summary>
    CrashAfterApplyBeforeCommit,
    /// <summary>Slave: exit at once after a checkpoint commit, before the next ack.</summary>
    CrashAfterCommitBeforeAck,
    /// <summary>Slave: do not send the next Count acks.</summary>
    DropAcks,
    /// <summary>Slave: hold each of the next Count acks for DelayMs.</summary>
    DelayAcks,
    /// <summary>Either side: close the replication link now (Count times).</summary>
    CutLink,
    /// <summary>Slave: send one ack for a range that was never sent (window corruption on the master).</summary>
    ForgeAck,
    /// <summary>Slave: exit at once after receiving Count snapshot chunks of a full resync.</summary>
    CrashDuringSnapshotLoad,
    /// <summary>Slave: pause DelayMs after each of the next Count snapshot chunks of a full resync (a slow transfer to watch or cut).</summary>
    SlowSnapshotChunk,
    /// <summary>Slave: hold every ack until faults are cleared (heartbeats still go out); then acks resume.</summary>
    HoldAcks,
    /// <summary>Master: the semi-sync timeout loop throws at its next turn (Count times); its supervisor must restart it.</summary>
    KillSemiSyncTimeoutLoop,
    /// <summary>Either side: the maintenance loop (expiry, purge, checkpoints) throws at its next tick (Count times); its supervisor must restart it.</summary>
    KillMaintenanceLoop,
    /// <summary>Slave: the replication link loop throws before its next connection attempt (Count times); its supervisor must restart it.</summary>
    KillReplicationLinkLoop,
    /// <summary>Slave: the apply loop throws before applying its next batch; the node must fail, visibly, with the reason.</summary>
    KillApplyLoop,
}

/// <summary>
/// Faults armed at run time. Every check is a dictionary lookup that finds nothing in normal runs; arming
/// is refused unless faults are enabled in configuration.
/// </summary>
public sealed class FaultInjector(bool enabled)
{
    private readonly ConcurrentDictionary<FaultPoint, (int Count, int DelayMs)> _armed = new();
    private TaskCompletionSource _cleared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether faults may be armed (ReplDash:Faults:Enabled).</summary>
    public bool Enabled { get; } = enabled;

    /// <summary>What is armed now.</summary>
    public IReadOnlyDictionary<FaultPoint, (int Count, int DelayMs)> Armed => _armed;

    /// <summary>Arms <paramref name="point"/> for the next <paramref name="count"/> hits.</summary>
    /// <exception cref="InvalidOperationException">Faults are not enabled.</exception>
    public void Arm(FaultPoint point, int count = 1, int delayMs = 0)
    {
        if (!Enabled)
            throw new InvalidOperationException("Faults are disabled (set ReplDash:Faults:Enabled to true, in tests only).");
        _armed[point] = (Math.Max(1, count), Math.Max(0, delayMs));
    }

    /// <summary>Disarms everything.</summary>
    public void Clear()
    {
        _armed.Clear();
        Interlocked.Exchange(ref _cleared, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes once <paramref name="point"/> is not armed (at once when it is not).</summary>
    public async Task WhileArmedAsync(FaultPoint point, CancellationToken cancellation)
    {
        while (true)
        {
            var cleared = Volatile.Read(ref _cleared).Task; // taken before the check, so a Clear in between is seen
            if (!_armed.ContainsKey(point))
                return;
            await cleared.WaitAsync(cancellation);
        }
    }

    /// <summary>Consumes one hit of <paramref name="point"/> when armed.</summary>
    public bool TryHit(FaultPoint point, out int delayMs)
    {
        delayMs = 0;
        while (_armed.TryGetValue(point, out var armed))
        {
            var next = (armed.Count - 1, armed.DelayMs);
            bool updated = next.Item1 <= 0 ? _armed.TryRemove(new KeyValuePair<FaultPoint, (int, int)>(point, armed)) : _armed.TryUpdate(point, next, armed);
            if (updated)
            {
                delayMs = armed.DelayMs;
                return true;
            }
        }
        return false;
    }

    /// <summary>Throws <see cref="InjectedFaultException"/> when <paramref name="point"/> is armed (consumes one hit).</summary>
    public void ThrowIfArmed(FaultPoint point)
    {
        if (TryHit(point, out _))
            throw new InjectedFaultException($"fault {point} injected");
    }

    /// <summary>Ends the process at once, as a crash would (SIGKILL to itself), when <paramref name="point"/> is armed.</summary>
    public void CrashIfArmed(FaultPoint point)
    {
        if (TryHit(point, out _))
            System.Diagnostics.Process.GetCurrentProcess().Kill();
    }
}

/// <summary>An exception a fault point throws on purpose: something a loop did not expect.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
