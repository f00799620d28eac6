using System.Buffers;

namespace ReplDash.Engine.Core.Resp;

/// <summary>
/// A reply kept in memory before it goes to its connection (a command of a MULTI block answered out of order, a
/// served blocking command), in the RESP version of that connection, so RespWriter writes the forms the client
/// asked for with HELLO.
/// </summary>
public sealed class RespReplyBuffer(int protocol) : IBufferWriter<byte>, IRespProtocolWriter
{
    private readonly ArrayBufferWriter<byte> _inner = new();

    /// <inheritdoc />
    public int Protocol => protocol;

    /// <summary>The reply written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _inner.WrittenSpan;

    /// <summary>How many bytes were written.</summary>
    public int WrittenCount => _inner.WrittenCount;

    /// <inheritdoc />
    public void Advance(int count) => _inner.Advance(count);

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);
}
