using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>
/// Waits that complete when a position (commit or durability) reaches a target. Thread-safe.
/// A <see cref="TaskCompletionSource"/> wait continues on the thread pool; a <see cref="ReplyWaiter"/> is released
/// inline, on the thread that advanced the position.
/// </summary>
internal sealed class PositionWaiters
{
    /// <summary>A position as one reference, so that readers get both of its fields without the lock.</summary>
    private sealed record Snapshot(BinlogPosition Position);

    private readonly object _gate = new();
    // Each element is a TaskCompletionSource or a ReplyWaiter.
    private readonly PriorityQueue<object, BinlogPosition> _waiting = new();
    private volatile Snapshot _reached;
    private Exception? _failure;

    public PositionWaiters(BinlogPosition reached) => _reached = new Snapshot(reached);

    /// <summary>The position reached so far (no lock: every command of every client reads it).</summary>
    public BinlogPosition Reached => _reached.Position;

    /// <summary>How many waits are pending.</summary>
    public int WaitingCount { get { lock (_gate) return _waiting.Count; } }

    /// <summary>Completes when the position reaches <paramref name="target"/>.</summary>
    public Task WaitAsync(BinlogPosition target)
    {
        lock (_gate)
        {
            if (_failure is not null)
                return Task.FromException(_failure);
            if (target <= _reached.Position)
                return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, target);
            return waiter.Task;
        }
    }

    /// <summary>
    /// Completes when the position reaches <paramref name="target"/>, through the caller's reusable
    /// <paramref name="waiter"/>: released inline by whoever advances the position.
    /// </summary>
    public ValueTask WaitAsync(BinlogPosition target, ReplyWaiter waiter)
    {
        lock (_gate)
        {
            if (_failure is not null)
                return ValueTask.FromException(_failure);
            if (target <= _reached.Position)
                return ValueTask.CompletedTask;
            var wait = waiter.Arm();
            _waiting.Enqueue(waiter, target);
            return wait;
        }
    }

    /// <summary>
    /// Moves the position forward and releases every waiter it satisfies. <see cref="ReplyWaiter"/>s resume on this
    /// thread before this returns, in position order.
    /// </summary>
    public void Advance(BinlogPosition reached)
    {
        List<object>? done = null;
        lock (_gate)
        {
            if (reached <= _reached.Position)
                return;
            _reached = new Snapshot(reached);
            while (_waiting.TryPeek(out _, out var target) && target <= reached)
                (done ??= new()).Add(_waiting.Dequeue());
        }
        if (done is null)
            return;
        foreach (var waiter in done)
        {
            if (waiter is ReplyWaiter reply)
                reply.Release();
            else
                ((TaskCompletionSource)waiter).TrySetResult();
        }
    }

    /// <summary>Fails every current and future waiter (the node stopped or broke).</summary>
    public void Fail(Exception failure)
    {
        List<object> waiting;
        lock (_gate)
        {
            _failure ??= failure;
            waiting = new List<object>(_waiting.UnorderedItems.Select(i => i.Element));
            _waiting.Clear();
        }
        foreach (var waiter in waiting)
        {
            if (waiter is ReplyWaiter reply)
                reply.Fail(failure);
            else
                ((TaskCompletionSource)waiter).TrySetException(failure);
        }
    }
}
