using System.IO.Pipelines;

namespace ReplDash.Engine.Resp;

/// <summary>Where replies go while a client turned them off (CLIENT REPLY OFF or SKIP): nowhere.</summary>
public sealed class DiscardingPipeWriter : PipeWriter
{
    private byte[] _scratch = new byte[4096];

    public override void Advance(int bytes)
    {
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint).Span;

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(default(FlushResult));

    private Memory<byte> Scratch(int sizeHint)
    {
        if (sizeHint > _scratch.Length)
            _scratch = new byte[sizeHint];
        return _scratch;
    }
}
