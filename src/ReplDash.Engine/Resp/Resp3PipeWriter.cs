using System.IO.Pipelines;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Resp;

/// <summary>
/// A RESP3 connection's reply buffer: the connection's own pipe, marked as protocol 3 so that RespWriter writes
/// RESP3's forms into it (maps, sets, doubles, nulls, pushes). Used only after HELLO 3; a RESP2 connection writes to
/// its pipe directly and pays nothing.
/// </summary>
public sealed class Resp3PipeWriter(PipeWriter inner) : PipeWriter, IRespProtocolWriter
{
    /// <inheritdoc />
    public int Protocol => 3;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
}
