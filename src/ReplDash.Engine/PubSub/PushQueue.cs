using System.Threading.Channels;

namespace ReplDash.Engine.PubSub;

/// <summary>
/// The messages waiting for one client connection. Publishers (any thread) enqueue without waiting; the client's
/// session writes them out between its own replies. A client that does not read while messages pile up past
/// <see cref="MaxPendingBytes"/> is disconnected, as Redis disconnects a pub/sub client past its output buffer's hard
/// limit (client-output-buffer-limit pubsub 32mb): a publisher is never slowed down by a slow subscriber.
/// </summary>
public sealed class PushQueue(Action overflow)
{
    /// <summary>Redis's default hard limit for a pub/sub client's output buffer.</summary>
    public const long MaxPendingBytes = 32L * 1024 * 1024;

    private readonly Channel<PushMessage> _messages = Channel.CreateUnbounded<PushMessage>(new UnboundedChannelOptions { SingleReader = true });
    private long _pendingBytes;
    private int _overflowed;
    private Task<bool>? _wait;

    /// <summary>Queues a message; false (and the client is disconnected) when the client is over its limit.</summary>
    public bool TryPush(PushMessage message)
    {
        if (Volatile.Read(ref _overflowed) != 0)
            return false;
        if (Interlocked.Add(ref _pendingBytes, message.Size) > MaxPendingBytes)
        {
            if (Interlocked.Exchange(ref _overflowed, 1) == 0)
                overflow();
            return false;
        }
        return _messages.Writer.TryWrite(message);
    }

    /// <summary>Takes the next waiting message, if any (the session's own thread only).</summary>
    public bool TryTake(out PushMessage message)
    {
        if (!_messages.Reader.TryRead(out message!))
            return false;
        Interlocked.Add(ref _pendingBytes, -message.Size);
        return true;
    }

    /// <summary>
    /// Completes when a message may be waiting. The same task is handed out until it completes, so a session that
    /// waits on it between many reads does not pile up waiters.
    /// </summary>
    public Task<bool> WaitAsync()
    {
        if (_wait is null || _wait.IsCompleted)
            _wait = _messages.Reader.WaitToReadAsync().AsTask();
        return _wait;
    }
}
