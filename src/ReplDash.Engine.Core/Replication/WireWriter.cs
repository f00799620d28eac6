using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Replication;

/// <summary>Little-endian primitives for replication frames, written into a buffer.</summary>
internal ref struct WireWriter(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _output = output;

    public void U8(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_output.GetSpan(2), value);
        _output.Advance(2);
    }

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_output.GetSpan(4), value);
        _output.Advance(4);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_output.GetSpan(8), value);
        _output.Advance(8);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        I32(value.Length);
        _output.Write(value);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public void Position(BinlogPosition position)
    {
        I64(position.FileNumber);
        I64(position.Offset);
    }

    public void Gtid(TransactionId id)
    {
        String(id.Origin);
        I64(id.Sequence);
    }
}

/// <summary>Reads what <see cref="WireWriter"/> wrote; every read is bounds-checked and throws on malformed input.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> input)
{
    private ReadOnlySpan<byte> _rest = input;

    public bool AtEnd => _rest.IsEmpty;

    public byte U8() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public byte[] Bytes()
    {
        int length = I32();
        if (length < 0 || length > _rest.Length)
            throw new InvalidDataException($"byte string of {length} bytes does not fit the frame");
        return Take(length).ToArray();
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    public BinlogPosition Position() => new(I64(), I64());

    public TransactionId Gtid() => new(String(), I64());

    /// <summary>A count of elements each at least <paramref name="minElementBytes"/> long: never more than the frame can hold.</summary>
    public int Count(int minElementBytes)
    {
        int count = I32();
        if (count < 0 || (long)count * minElementBytes > _rest.Length)
            throw new InvalidDataException($"count {count} does not fit the frame");
        return count;
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _rest.Length)
            throw new InvalidDataException("frame ends early");
        var taken = _rest[..length];
        _rest = _rest[length..];
        return taken;
    }
}
