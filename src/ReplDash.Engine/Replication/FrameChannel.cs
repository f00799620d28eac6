using System.IO.Pipelines;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Sends and receives replication frames over one duplex pipe (a Kestrel connection or a client socket).
/// Sends are serialised, so several tasks (stream, acks, heartbeats) may share the link.
/// </summary>
public sealed class FrameChannel(PipeReader input, PipeWriter output)
{
    private readonly SemaphoreSlim _sendGate = new(1, 1);

    /// <summary>When the last frame arrived (for the link timeout).</summary>
    public DateTimeOffset LastReceived { get; private set; } = DateTimeOffset.UtcNow;

    public async Task SendAsync(ReplicationMessage message, CancellationToken cancellation)
    {
        await _sendGate.WaitAsync(cancellation);
        try
        {
            ReplicationCodec.Write(message, output);
            var result = await output.FlushAsync(cancellation);
            if (result.IsCompleted || result.IsCanceled)
                throw new IOException("replication link closed");
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Receives one frame; throws <see cref="IOException"/> when the link closes or the frame is invalid.</summary>
    public async Task<ReplicationMessage> ReceiveAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellation);
            var buffer = result.Buffer;
            var status = ReplicationCodec.TryRead(buffer, out var message, out var consumed, out var error);
            if (status == FrameStatus.Complete)
            {
                input.AdvanceTo(consumed);
                LastReceived = DateTimeOffset.UtcNow;
                return message!;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (status == FrameStatus.Invalid)
                throw new IOException($"invalid replication frame: {error}");
            if (result.IsCompleted || result.IsCanceled)
                throw new IOException("replication link closed");
        }
    }

    /// <summary>
    /// Receives one frame, or throws <see cref="LinkTimeoutException"/> when nothing arrives within
    /// <paramref name="linkTimeout"/> (the link is dead; the caller drops it).
    /// </summary>
    public async Task<ReplicationMessage> ReceiveWithinAsync(TimeSpan linkTimeout, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(linkTimeout);
        try
        {
            return await ReceiveAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new LinkTimeoutException(linkTimeout);
        }
    }

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

/// <summary>Nothing arrived on a replication link for the link timeout.</summary>
public sealed class LinkTimeoutException(TimeSpan timeout) : IOException($"nothing received for {timeout.TotalSeconds:0.#} s (link timeout)");
