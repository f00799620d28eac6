using System.IO.Pipelines;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Sends and receives replication frames over one duplex pipe (a Kestrel connection or a client socket).
/// Sends are serialised, so several tasks (stream, acks, heartbeats) may share the link.
/// </summary>
/// <param name="input">Frames from the peer.</param>
/// <param name="output">Frames to the peer.</param>
/// <param name="time">The node's clock: the link timeout and heartbeats are measured and waited on it.</param>
public sealed class FrameChannel(PipeReader input, PipeWriter output, TimeProvider time)
{
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    // Timestamps (time.GetTimestamp()) of the last frame received and sent, for the link timeout and heartbeats.
    private long _lastReceived = time.GetTimestamp();
    private long _lastSent = time.GetTimestamp();
    private volatile int _maxFrameBytes = ReplicationCodec.MaxFrameBytes;

    /// <summary>
    /// Largest frame <see cref="ReceiveAsync(CancellationToken)"/> accepts: <see cref="ReplicationCodec.MaxHandshakeFrameBytes"/>
    /// until the handshake has authenticated the peer, so an unauthenticated peer cannot make this side buffer
    /// more than that; <see cref="ReplicationCodec.MaxFrameBytes"/> (the default) after.
    /// </summary>
    public int MaxFrameBytes
    {
        get => _maxFrameBytes;
        set => _maxFrameBytes = value is >= 1 and <= ReplicationCodec.MaxFrameBytes ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public async Task SendAsync(ReplicationMessage message, CancellationToken cancellation)
    {
        await _sendGate.WaitAsync(cancellation);
        try
        {
            ReplicationCodec.Write(message, output);
            var result = await output.FlushAsync(cancellation);
            if (result.IsCompleted || result.IsCanceled)
                throw new IOException("replication link closed");
            Volatile.Write(ref _lastSent, time.GetTimestamp());
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// Receives one frame; throws <see cref="IOException"/> when the link closes, <see cref="InvalidFrameException"/> when
    /// the frame is invalid (too large, unknown type, malformed).
    /// </summary>
    public async Task<ReplicationMessage> ReceiveAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellation);
            var buffer = result.Buffer;
            var status = ReplicationCodec.TryRead(buffer, _maxFrameBytes, out var message, out var consumed, out var error);
            if (status == FrameStatus.Complete)
            {
                input.AdvanceTo(consumed);
                Volatile.Write(ref _lastReceived, time.GetTimestamp());
                return message!;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (status == FrameStatus.Invalid)
                throw new InvalidFrameException(error ?? "invalid");
            if (result.IsCompleted || result.IsCanceled)
                throw new IOException("replication link closed");
        }
    }

    /// <summary>
    /// Runs for as long as frames keep arriving; throws <see cref="LinkTimeoutException"/> once nothing has
    /// arrived for <paramref name="linkTimeout"/> (the link is dead; the caller drops it).
    /// </summary>
    public Task WatchReceivesAsync(TimeSpan linkTimeout, CancellationToken cancellation) =>
        LinkSilence.WhenSilentAsync(() => Volatile.Read(ref _lastReceived), linkTimeout,
            () => throw new LinkTimeoutException(linkTimeout), time, cancellation);

    /// <summary>Sends <paramref name="heartbeat"/>'s frame whenever nothing else was sent for <paramref name="interval"/>.</summary>
    public Task SendHeartbeatsAsync(TimeSpan interval, Func<Heartbeat> heartbeat, CancellationToken cancellation) =>
        LinkSilence.WhenSilentAsync(() => Volatile.Read(ref _lastSent), interval,
            () => SendAsync(heartbeat(), cancellation), time, cancellation);

    /// <summary>Receives one frame of type <typeparamref name="T"/>; an ErrorMessage or anything else is an IOException.</summary>
    public async Task<T> ReceiveAsync<T>(CancellationToken cancellation) where T : ReplicationMessage
    {
        var message = await ReceiveAsync(cancellation);
        return message switch
        {
            T expected => expected,
            ErrorMessage error => throw new ReplicationRefusedException(error.Code, error.Message),
            _ => throw new IOException($"expected {typeof(T).Name}, got {message.GetType().Name}"),
        };
    }
}

/// <summary>The other side refused (wrong secret, unknown node...): the message is meant for operators.</summary>
public sealed class ReplicationRefusedException(string code, string message) : IOException($"{code}: {message}")
{
    public string Code { get; } = code;
}

/// <summary>The peer sent a frame that is too large, of unknown type or malformed: the link must be closed.</summary>
public sealed class InvalidFrameException(string error) : IOException($"invalid replication frame: {error}");

/// <summary>Nothing arrived on a replication link for the link timeout.</summary>
public sealed class LinkTimeoutException(TimeSpan timeout) : IOException($"nothing received for {timeout.TotalSeconds:0.#} s (link timeout)");
