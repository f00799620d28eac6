using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>
/// Tasks that complete when a position (commit or durability) reaches a target. Thread-safe.
/// Continuations run on the thread pool, never on the thread that advanced the position.
/// </summary>
internal sealed class PositionWaiters
{
    private readonly object _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, BinlogPosition> _waiting = new();
    private BinlogPosition _reached;
    private Exception? _failure;

    public PositionWaiters(BinlogPosition reached) => _reached = reached;

    /// <summary>The position reached so far.</summary>
    public BinlogPosition Reached { get { lock (_gate) return _reached; } }

    /// <summary>Completes when the position reaches <paramref name="target"/>.</summary>
    public Task WaitAsync(BinlogPosition target)
    {
        lock (_gate)
        {
            if (_failure is not null)
                return Task.FromException(_failure);
            if (target <= _reached)
                return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, target);
            return waiter.Task;
        }
    }

    /// <summary>Moves the position forward and releases every waiter it satisfies.</summary>
    public void Advance(BinlogPosition reached)
    {
        List<TaskCompletionSource>? done = null;
        lock (_gate)
        {
            if (reached <= _reached)
                return;
            _reached = reached;
            while (_waiting.TryPeek(out _, out var target) && target <= reached)
                (done ??= new()).Add(_waiting.Dequeue());
        }
        if (done is not null)
            foreach (var waiter in done)
                waiter.TrySetResult();
    }

    /// <summary>Fails every current and future waiter (the node stopped or broke).</summary>
    public void Fail(Exception failure)
    {
        List<TaskCompletionSource> waiting;
        lock (_gate)
        {
            _failure ??= failure;
            waiting = new List<TaskCompletionSource>(_waiting.UnorderedItems.Select(i => i.Element));
            _waiting.Clear();
        }
        foreach (var waiter in waiting)
            waiter.TrySetException(failure);
    }
}
