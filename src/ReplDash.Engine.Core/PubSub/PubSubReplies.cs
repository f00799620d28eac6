using System.Buffers;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.PubSub;

/// <summary>
/// Pub/sub's wire forms, as Redis 7 writes them: a three- or four-element array in RESP2, a push (<c>&gt;</c>) in
/// RESP3 (the buffer says which, see <see cref="IRespProtocolWriter"/>).
/// </summary>
public static class PubSubReplies
{
    /// <summary><c>message channel payload</c>: a message on a channel the client subscribed to.</summary>
    public static void Message(IBufferWriter<byte> w, byte[] channel, byte[] payload)
    {
        RespWriter.PushHeader(w, 3);
        RespWriter.Bulk(w, "message"u8);
        RespWriter.Bulk(w, channel);
        RespWriter.Bulk(w, payload);
    }

    /// <summary><c>pmessage pattern channel payload</c>: a message on a channel matching a subscribed pattern.</summary>
    public static void PatternMessage(IBufferWriter<byte> w, byte[] pattern, byte[] channel, byte[] payload)
    {
        RespWriter.PushHeader(w, 4);
        RespWriter.Bulk(w, "pmessage"u8);
        RespWriter.Bulk(w, pattern);
        RespWriter.Bulk(w, channel);
        RespWriter.Bulk(w, payload);
    }

    /// <summary>
    /// A (p)(un)subscribe confirmation: <c>kind name count</c>, where count is the client's channels and patterns after
    /// it; name null (an UNSUBSCRIBE with nothing to leave) is written as a null.
    /// </summary>
    public static void Confirmation(IBufferWriter<byte> w, string kind, byte[]? name, int count)
    {
        RespWriter.PushHeader(w, 3);
        RespWriter.BulkText(w, kind);
        if (name is null)
            RespWriter.NullBulk(w);
        else
            RespWriter.Bulk(w, name);
        RespWriter.Integer(w, count);
    }
}
