using System.Threading.Tasks.Sources;

namespace ReplDash.Engine.Node;

/// <summary>
/// One client connection's wait for its replies to be released, reused for every batch of commands (no Task or
/// TaskCompletionSource per write). Released on the thread that moves the position, inline: the binlog flusher,
/// right after its fsync, resumes the session, which sends its replies from there (one thread hop less per
/// write: docs/ARCHITECTURE.md, workflow 1, step 6). The session must leave that thread before it runs anything
/// that may take long or wait (see RespSession.ServeAsync).
/// </summary>
/// <remarks>
/// At most one wait is armed at a time: the session awaits each wait before it arms the next.
/// A failure (the node stopped or broke) is delivered on the thread pool, never inline: it may be raised under the
/// node's lock.
/// </remarks>
public sealed class ReplyWaiter : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core; // RunContinuationsAsynchronously stays false: inline on release
    private int _armed;

    // The managed thread that released the last wait (0: none since it was taken).
    private int _releasedBy;

    /// <summary>
    /// True when the caller runs on the thread that released the wait it just awaited (resumed inline there); reading
    /// it clears it, so a later wait met at once reads false.
    /// </summary>
    public bool TakeReleasedInline()
    {
        bool inline = _releasedBy == Environment.CurrentManagedThreadId;
        _releasedBy = 0;
        return inline;
    }

    /// <summary>Starts a wait; the returned task completes at <see cref="Release"/> or <see cref="Fail"/>.</summary>
    internal ValueTask Arm()
    {
        _core.Reset();
        _releasedBy = 0;
        Volatile.Write(ref _armed, 1);
        return new ValueTask(this, _core.Version);
    }

    /// <summary>The position was reached: resumes the waiting session on this thread.</summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref _armed, 0) != 1)
            return;
        _releasedBy = Environment.CurrentManagedThreadId;
        _core.SetResult(true);
    }

    /// <summary>The position will never be reached: the waiting session gets <paramref name="failure"/> on the thread pool.</summary>
    internal void Fail(Exception failure)
    {
        if (Interlocked.Exchange(ref _armed, 0) != 1)
            return;
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Waiter._core.SetException(state.Failure), (Waiter: this, Failure: failure),
            preferLocal: false);
    }

    /// <inheritdoc />
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc />
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
