namespace ReplDash.Engine.Replication;

/// <summary>
/// Decides when a slave acknowledges what it received. At once when the master asked (a batch with AckNow:
/// semi-sync is enabled, a WAIT is waiting, or the sync window is half full); otherwise once
/// <paramref name="coalesce"/> has passed since the first batch not yet acknowledged, so that one relay-log
/// fsync and one ack cover every batch received meanwhile (docs/REPLICATION-PROTOCOL.md, "Acks").
/// </summary>
/// <remarks>
/// Acknowledging every batch cost each slave an fsync and an ack per batch: under unpipelined load about one
/// batch per 14 items, and the relay-log flusher took about a third of the slaves' CPU (docs/BENCHMARKS.md,
/// "Coalesced acks").
/// </remarks>
internal sealed class AckPacer(TimeSpan coalesce, TimeProvider time)
{
    private readonly SemaphoreSlim _arrived = new(0);
    private TaskCompletionSource _ackNow = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A batch was received (call after recording where it ends). <paramref name="ackNow"/>: the master is
    /// waiting for its ack.
    /// </summary>
    public void Arrived(bool ackNow)
    {
        if (ackNow)
            Volatile.Read(ref _ackNow).TrySetResult();
        _arrived.Release();
    }

    /// <summary>
    /// Completes when an ack is due. Every batch whose <see cref="Arrived"/> came before this returns is then
    /// the caller's to acknowledge: read the received end after it, not before.
    /// </summary>
    public async Task WhenAckDueAsync(CancellationToken cancellation)
    {
        await _arrived.WaitAsync(cancellation);
        var ackNow = Volatile.Read(ref _ackNow).Task;
        if (!ackNow.IsCompleted && coalesce > TimeSpan.Zero)
        {
            await Task.WhenAny(ackNow, Task.Delay(coalesce, time, cancellation));
            cancellation.ThrowIfCancellationRequested();
        }
        // A request that lands on the old signal after this is still covered: its batch was recorded before
        // it signalled, and the caller reads the received end after this returns.
        Interlocked.Exchange(ref _ackNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        while (_arrived.Wait(0))
        {
            // Batches that arrived while waiting are covered by this ack.
        }
    }
}
