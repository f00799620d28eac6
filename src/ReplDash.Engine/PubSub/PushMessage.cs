using System.Buffers;
using ReplDash.Engine.Core.PubSub;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.PubSub;

/// <summary>
/// Something sent to a client outside of a reply to its own command: a pub/sub message or a MONITOR line. Written by
/// the receiving session in its own protocol (an array in RESP2, a push in RESP3).
/// </summary>
public abstract record PushMessage
{
    /// <summary>About how many bytes the message takes on the wire (for the slow-client limit).</summary>
    public abstract int Size { get; }

    /// <summary>Writes the message into the receiving session's reply buffer.</summary>
    public abstract void Write(IBufferWriter<byte> output);
}

/// <summary><c>message channel payload</c> (pattern null) or <c>pmessage pattern channel payload</c>.</summary>
public sealed record ChannelMessage(byte[]? Pattern, byte[] Channel, byte[] Payload) : PushMessage
{
    public override int Size => 48 + Channel.Length + Payload.Length + (Pattern?.Length ?? 0);

    public override void Write(IBufferWriter<byte> output)
    {
        if (Pattern is null)
            PubSubReplies.Message(output, Channel, Payload);
        else
            PubSubReplies.PatternMessage(output, Pattern, Channel, Payload);
    }
}

/// <summary>One MONITOR line, a simple string as Redis sends it (<c>+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"</c>).</summary>
public sealed record MonitorLine(string Line) : PushMessage
{
    public override int Size => Line.Length + 3;

    public override void Write(IBufferWriter<byte> output) => RespWriter.SimpleString(output, Line);
}
