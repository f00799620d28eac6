using System.Buffers.Binary;
using System.Text;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// DUMP's payload in Redis's own serialization (an RDB object, then the RDB version as 2 bytes and a CRC-64 as 8, both
/// little-endian), so a payload travels between ReplDash and Redis 7.0. Written with the plain RDB types every Redis
/// since 2.x loads: string (0), list (1), set (2), sorted set with binary scores (5) and hash (4), strings as raw
/// length-prefixed bytes. Read: those types, with strings also as integers or LZF-compressed (Redis writes both);
/// Redis's compact encodings (listpack, intset, quicklist) are refused as "Bad data format".
/// </summary>
internal static class DumpPayload
{
    /// <summary>The RDB version of Redis 7.0; a payload of a later version is refused, as Redis refuses it.</summary>
    public const ushort RdbVersion = 10;

    private const byte TypeString = 0, TypeList = 1, TypeSet = 2, TypeZSet2 = 5, TypeHash = 4;

    /// <summary>The payload for a key's value.</summary>
    public static byte[] Encode(KeyEntry entry)
    {
        var output = new List<byte>();
        switch (entry.Type)
        {
            case ValueType.String:
                output.Add(TypeString);
                WriteString(output, entry.StringValue);
                break;
            case ValueType.List:
                output.Add(TypeList);
                WriteLength(output, (ulong)entry.ListValue.Count);
                foreach (var element in entry.ListValue.Items())
                    WriteString(output, element);
                break;
            case ValueType.Set:
                output.Add(TypeSet);
                WriteLength(output, (ulong)entry.SetValue.Count);
                foreach (var member in entry.SetValue.Members)
                    WriteString(output, member);
                break;
            case ValueType.ZSet:
                output.Add(TypeZSet2);
                WriteLength(output, (ulong)entry.ZSetValue.Count);
                foreach (var (member, score) in entry.ZSetValue.Ascending())
                {
                    WriteString(output, member);
                    long bits = BitConverter.DoubleToInt64Bits(score); // 8 bytes, little-endian
                    for (int shift = 0; shift < 64; shift += 8)
                        output.Add((byte)(bits >> shift));
                }
                break;
            default:
                output.Add(TypeHash);
                WriteLength(output, (ulong)entry.HashValue.Count);
                foreach (var (field, value) in entry.HashValue)
                {
                    WriteString(output, field);
                    WriteString(output, value);
                }
                break;
        }
        output.Add((byte)(RdbVersion & 0xff));
        output.Add((byte)(RdbVersion >> 8));
        var body = output.ToArray();
        var payload = new byte[body.Length + 8];
        body.CopyTo(payload, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(body.Length), Crc64Jones.Compute(body));
        return payload;
    }

    /// <summary>True when the footer names an RDB version this server reads and the CRC matches.</summary>
    public static bool HasValidFooter(byte[] payload)
    {
        if (payload.Length < 10)
            return false;
        int footer = payload.Length - 10;
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(footer));
        return version <= RdbVersion
               && BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(payload.Length - 8)) == Crc64Jones.Compute(payload.AsSpan(0, payload.Length - 8));
    }

    /// <summary>Reads the value of a payload whose footer was checked; false for a type or encoding this server does not read, or damage.</summary>
    public static bool TryDecode(byte[] payload, out ValueType type, out object value)
    {
        type = ValueType.String;
        value = Array.Empty<byte>();
        var reader = new Reader(payload.AsSpan(0, payload.Length - 10).ToArray());
        try
        {
            switch (reader.Byte())
            {
                case TypeString:
                    value = reader.String();
                    break;
                case TypeList:
                    type = ValueType.List;
                    var list = new ByteDeque();
                    for (ulong i = 0, n = reader.Length(); i < n; i++)
                        list.PushBack(reader.String());
                    value = list;
                    break;
                case TypeSet:
                    type = ValueType.Set;
                    var set = new MemberSet();
                    for (ulong i = 0, n = reader.Length(); i < n; i++)
                        set.Add(reader.String());
                    value = set;
                    break;
                case TypeZSet2:
                    type = ValueType.ZSet;
                    var zset = new ZSet();
                    for (ulong i = 0, n = reader.Length(); i < n; i++)
                    {
                        var member = reader.String();
                        double score = reader.Double();
                        if (double.IsNaN(score))
                            return false;
                        zset.Set(member, score);
                    }
                    value = zset;
                    break;
                case TypeHash:
                    type = ValueType.Hash;
                    var hash = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
                    for (ulong i = 0, n = reader.Length(); i < n; i++)
                        hash[reader.String()] = reader.String();
                    value = hash;
                    break;
                default:
                    return false;
            }
            // Redis refuses empty collections in a payload; so does this server.
            return reader.AtEnd && value is not (ByteDeque { Count: 0 } or MemberSet { Count: 0 } or ZSet { Count: 0 } or Dictionary<byte[], byte[]> { Count: 0 });
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static void WriteLength(List<byte> output, ulong length)
    {
        if (length < 64)
            output.Add((byte)length);
        else if (length < 16384)
        {
            output.Add((byte)(0x40 | (length >> 8)));
            output.Add((byte)length);
        }
        else if (length <= uint.MaxValue)
        {
            output.Add(0x80);
            for (int shift = 24; shift >= 0; shift -= 8)
                output.Add((byte)(length >> shift));
        }
        else
        {
            output.Add(0x81);
            for (int shift = 56; shift >= 0; shift -= 8)
                output.Add((byte)(length >> shift));
        }
    }

    private static void WriteString(List<byte> output, byte[] value)
    {
        WriteLength(output, (ulong)value.Length);
        output.AddRange(value);
    }

    /// <summary>Reads RDB fields; any overrun or unknown encoding throws <see cref="InvalidDataException"/>.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        public byte Byte() => _at < data.Length ? data[_at++] : throw new InvalidDataException("payload ends early");

        private ReadOnlySpan<byte> Take(long count)
        {
            if (count < 0 || count > data.Length - _at)
                throw new InvalidDataException("payload ends early");
            var span = data.AsSpan(_at, (int)count);
            _at += (int)count;
            return span;
        }

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public ulong Length() => Length(out bool encoded) is var length && !encoded ? length : throw new InvalidDataException("an encoded value where a length belongs");

        private ulong Length(out bool encoded)
        {
            encoded = false;
            byte first = Byte();
            switch (first >> 6)
            {
                case 0:
                    return (ulong)(first & 0x3f);
                case 1:
                    return (ulong)(((first & 0x3f) << 8) | Byte());
                case 3:
                    encoded = true;
                    return (ulong)(first & 0x3f);
            }
            if (first == 0x80)
                return BinaryPrimitives.ReadUInt32BigEndian(Take(4));
            if (first == 0x81)
                return BinaryPrimitives.ReadUInt64BigEndian(Take(8));
            throw new InvalidDataException("bad length");
        }

        /// <summary>A string: raw, an integer (RDB_ENC_INT8/16/32, as decimal text) or LZF-compressed.</summary>
        public byte[] String()
        {
            ulong length = Length(out bool encoded);
            if (!encoded)
                return Take((long)Math.Min(length, int.MaxValue)).ToArray();
            return length switch
            {
                0 => Number((sbyte)Byte()),
                1 => Number(BinaryPrimitives.ReadInt16LittleEndian(Take(2))),
                2 => Number(BinaryPrimitives.ReadInt32LittleEndian(Take(4))),
                3 => Compressed(),
                _ => throw new InvalidDataException("unknown string encoding"),
            };
        }

        private static byte[] Number(long value) => Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private byte[] Compressed()
        {
            ulong compressed = Length(), length = Length();
            if (length > int.MaxValue)
                throw new InvalidDataException("string too long");
            return Lzf.Decompress(Take((long)Math.Min(compressed, int.MaxValue)), (int)length);
        }
    }
}
