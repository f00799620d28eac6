using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Sends the frames a <see cref="Core.Protocol.SlaveMachine"/> step asks for over the link, and is where the slave's ack
/// fault points act on those outputs (docs/ARCHITECTURE.md, "The slave driver"): crash before an ack
/// (CrashAfterRelayWriteBeforeAck), drop it (DropAcks), hold it until faults are cleared (HoldAcks), hold it for a while
/// (DelayAcks), or send a forged one first (ForgeAck). An ack that is not sent is merged into the next one, which then
/// starts where the withheld one started: the master's window only ever sees contiguous acks, as it did when the ack
/// loop kept its own start.
/// </summary>
internal sealed class SlaveFrameOutbox(FrameChannel channel, FaultInjector faults, TimeProvider time, TimeSpan heartbeatInterval)
{
    private Ack? _withheld;
    private bool _holding; // a hold (HoldAcks or DelayAcks) is waiting for its release: later acks join it
    private long _lastSent = time.GetTimestamp();

    /// <summary>End of the last range acknowledged to the master (what was really sent).</summary>
    public BinlogPosition AckedEnd { get; private set; }

    /// <summary>Asked for when a hold ends (HoldAcks cleared, DelayAcks elapsed): the driver then calls <see cref="ReleaseAsync"/>.</summary>
    public Action? ReleaseWanted { get; set; }

    /// <summary>Sends <paramref name="message"/>, or for an ack, whatever the armed fault points say.</summary>
    public async Task SendAsync(ReplicationMessage message, CancellationToken cancellation)
    {
        if (message is Heartbeat heartbeat)
        {
            // The machine's clock is monotonic; the wire's heartbeat carries wall time (Unix ms) for operators.
            await SendNowAsync(heartbeat with { UnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellation);
            return;
        }
        if (message is not Ack ack)
        {
            await SendNowAsync(message, cancellation);
            return;
        }
        // The machine emits an ack only once the relay log is synced past it: this is after the relay write, before the ack.
        faults.CrashIfArmed(FaultPoint.CrashAfterRelayWriteBeforeAck);
        var merged = _withheld is { } earlier ? ack with { RangeStart = earlier.RangeStart, First = ack.First || earlier.First } : ack;
        if (_holding)
        {
            await WithholdAsync(merged, cancellation);
            return;
        }
        if (faults.Armed.ContainsKey(FaultPoint.HoldAcks))
        {
            _holding = true;
            _ = faults.WhileArmedAsync(FaultPoint.HoldAcks, cancellation).ContinueWith(_ => ReleaseWanted?.Invoke(),
                TaskContinuationOptions.ExecuteSynchronously);
            await WithholdAsync(merged, cancellation);
            return;
        }
        if (faults.TryHit(FaultPoint.DropAcks, out _))
        {
            await WithholdAsync(merged, cancellation); // the next ack covers this range too
            return;
        }
        if (faults.TryHit(FaultPoint.DelayAcks, out int delayMs))
        {
            _holding = true;
            _ = Task.Delay(TimeSpan.FromMilliseconds(delayMs), time, cancellation).ContinueWith(_ => ReleaseWanted?.Invoke(),
                TaskContinuationOptions.ExecuteSynchronously);
            await WithholdAsync(merged, cancellation);
            return;
        }
        if (faults.TryHit(FaultPoint.ForgeAck, out _))
        {
            // A range the master never sent: it must detect window corruption and reset the session.
            var end = merged.RangeEnd;
            await SendNowAsync(new Ack(end with { Offset = end.Offset + 7 }, end with { Offset = end.Offset + 99 }, merged.Applied, merged.First),
                cancellation);
            _withheld = merged;
            return;
        }
        await SendAckAsync(merged, cancellation);
    }

    /// <summary>A hold ended: sends the withheld ack (unless HoldAcks is armed again).</summary>
    public async Task ReleaseAsync(CancellationToken cancellation)
    {
        if (faults.Armed.ContainsKey(FaultPoint.HoldAcks))
        {
            _ = faults.WhileArmedAsync(FaultPoint.HoldAcks, cancellation).ContinueWith(_ => ReleaseWanted?.Invoke(),
                TaskContinuationOptions.ExecuteSynchronously);
            return;
        }
        _holding = false;
        if (_withheld is { } ack)
            await SendAckAsync(ack, cancellation);
    }

    private async Task SendAckAsync(Ack ack, CancellationToken cancellation)
    {
        await SendNowAsync(ack, cancellation);
        _withheld = null;
        AckedEnd = ack.RangeEnd;
    }

    /// <summary>
    /// Keeps <paramref name="ack"/> for later. The machine counts the ack as sent, so it sends no heartbeat meanwhile: the
    /// outbox sends one in its place when the link was silent for a heartbeat interval (heartbeats still go out).
    /// </summary>
    private async Task WithholdAsync(Ack ack, CancellationToken cancellation)
    {
        _withheld = ack;
        if (time.GetElapsedTime(_lastSent) >= heartbeatInterval)
            await SendNowAsync(new Heartbeat(time.GetUtcNow().ToUnixTimeMilliseconds(), ack.Applied), cancellation);
    }

    private async Task SendNowAsync(ReplicationMessage message, CancellationToken cancellation)
    {
        await channel.SendAsync(message, cancellation);
        _lastSent = time.GetTimestamp();
    }
}
