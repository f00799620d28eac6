namespace ReplDash.Engine.Core.Resp;

/// <summary>
/// A reply buffer that knows which RESP version its connection speaks (HELLO 2 or HELLO 3). <see cref="RespWriter"/>
/// writes RESP3's forms only to a writer that says protocol 3; a plain buffer is RESP2, so code that never heard of
/// RESP3 (replay, tests, a RESP2 connection) keeps its exact bytes.
/// </summary>
public interface IRespProtocolWriter
{
    /// <summary>2 or 3.</summary>
    int Protocol { get; }
}
