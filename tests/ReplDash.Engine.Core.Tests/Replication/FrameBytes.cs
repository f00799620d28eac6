using System.Buffers;
using System.Buffers.Binary;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Replication;

/// <summary>Helpers to encode frames to arrays and to read them back from one or several buffer segments.</summary>
internal static class FrameBytes
{
    public static byte[] Encode(ReplicationMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        ReplicationCodec.Write(message, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads one frame; <paramref name="consumedBytes"/> is how many bytes the reader says it used.</summary>
    public static FrameStatus Read(ReadOnlySequence<byte> buffer, out ReplicationMessage? message, out long consumedBytes, out string? error)
    {
        var status = ReplicationCodec.TryRead(buffer, out message, out var consumed, out error);
        consumedBytes = buffer.Slice(buffer.Start, consumed).Length;
        return status;
    }

    public static FrameStatus Read(byte[] bytes, out ReplicationMessage? message, out long consumedBytes, out string? error) =>
        Read(new ReadOnlySequence<byte>(bytes), out message, out consumedBytes, out error);

    /// <summary>A sequence made of several segments, split at <paramref name="cuts"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, params int[] cuts)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(cuts);
        bounds.Add(bytes.Length);
        Segment? first = null, last = null;
        for (int i = 0; i + 1 < bounds.Count; i++)
        {
            var memory = bytes.AsMemory(bounds[i], bounds[i + 1] - bounds[i]);
            if (first is null)
                first = last = new Segment(memory, 0);
            else
                last = last!.Append(memory);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>A frame with a hand-made body: <c>u32 length | body</c>.</summary>
    public static byte[] Frame(params byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] I64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
