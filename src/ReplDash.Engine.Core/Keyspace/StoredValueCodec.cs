using System.Buffers.Binary;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// Encodes key values for the node store (and, in canonical form, for the digest).
/// Layout: a string is its raw bytes. A hash, list or set is
/// <c>[count: int32 LE] then count × ([length: int32 LE][bytes])</c>; a hash lists field, value,
/// field, value... so its count is twice the number of fields. A sorted set lists member, score, member,
/// score... in ascending (score, member) order, each score as its 8 IEEE 754 bytes (little-endian), so
/// scores survive exactly; that order is also canonical, being fixed by the content alone.
/// </summary>
public static class StoredValueCodec
{
    /// <summary>Encodes a sequence of elements with length prefixes.</summary>
    public static byte[] EncodeElements(IReadOnlyCollection<byte[]> elements)
    {
        long size = 4;
        foreach (var e in elements)
            size += 4 + e.Length;
        if (size > int.MaxValue)
            throw new InvalidOperationException("The value is too large to encode.");
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, elements.Count);
        int at = 4;
        foreach (var e in elements)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], e.Length);
            at += 4;
            e.CopyTo(span[at..]);
            at += e.Length;
        }
        return buffer;
    }

    /// <summary>Decodes what <see cref="EncodeElements"/> wrote; throws <see cref="InvalidDataException"/> on damaged input.</summary>
    public static List<byte[]> DecodeElements(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 4)
            throw new InvalidDataException("Encoded value shorter than its element count.");
        int count = BinaryPrimitives.ReadInt32LittleEndian(encoded);
        // Each element needs at least its 4-byte length, which bounds a damaged count.
        if (count < 0 || count > (encoded.Length - 4) / 4)
            throw new InvalidDataException($"Encoded element count {count} does not fit the value.");
        var elements = new List<byte[]>(count);
        int at = 4;
        for (int i = 0; i < count; i++)
        {
            if (encoded.Length - at < 4)
                throw new InvalidDataException("Encoded value truncated inside an element length.");
            int length = BinaryPrimitives.ReadInt32LittleEndian(encoded[at..]);
            at += 4;
            if (length < 0 || length > encoded.Length - at)
                throw new InvalidDataException("Encoded value truncated inside an element.");
            elements.Add(encoded.Slice(at, length).ToArray());
            at += length;
        }
        if (at != encoded.Length)
            throw new InvalidDataException("Encoded value has trailing bytes.");
        return elements;
    }

    /// <summary>
    /// The elements of a value in encoding order. Canonical form sorts hash fields and set members by
    /// bytes so equal data encodes equally whatever the order it was written in.
    /// </summary>
    internal static IReadOnlyCollection<byte[]> Elements(KeyEntry entry, bool canonical)
    {
        switch (entry.Type)
        {
            case ValueType.Hash:
            {
                var hash = entry.HashValue;
                var fields = hash.Keys.ToArray();
                if (canonical)
                    Array.Sort(fields, ByteArrayComparer.Instance);
                var pairs = new byte[fields.Length * 2][];
                for (int i = 0; i < fields.Length; i++)
                {
                    pairs[2 * i] = fields[i];
                    pairs[2 * i + 1] = hash[fields[i]];
                }
                return pairs;
            }
            case ValueType.List:
                return entry.ListValue.Items().ToArray();
            case ValueType.Set:
            {
                var members = entry.SetValue.Members.ToArray();
                if (canonical)
                    Array.Sort(members, ByteArrayComparer.Instance);
                return members;
            }
            case ValueType.ZSet:
                return ZSetElements(entry.ZSetValue);
            default:
                return [entry.StringValue];
        }
    }

    private static byte[][] ZSetElements(ZSet set)
    {
        var elements = new byte[set.Count * 2][];
        int i = 0;
        foreach (var (member, score) in set.Ascending())
        {
            elements[i++] = member;
            elements[i++] = EncodeScore(score);
        }
        return elements;
    }

    /// <summary>A score as stored: its 8 IEEE 754 bytes, little-endian.</summary>
    public static byte[] EncodeScore(double score)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, score);
        return bytes;
    }

    /// <summary>Reads a stored score; throws <see cref="InvalidDataException"/> unless it is 8 bytes and not NaN.</summary>
    public static double DecodeScore(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != 8)
            throw new InvalidDataException($"Encoded sorted-set score has {encoded.Length} bytes, not 8.");
        double score = BinaryPrimitives.ReadDoubleLittleEndian(encoded);
        if (double.IsNaN(score))
            throw new InvalidDataException("Encoded sorted-set score is NaN.");
        return score;
    }

    /// <summary>The (member, score) pairs of an encoded sorted set, in stored order.</summary>
    public static List<(byte[] Member, double Score)> DecodeZSetPairs(ReadOnlySpan<byte> encoded)
    {
        var elements = DecodeElements(encoded);
        if (elements.Count % 2 != 0)
            throw new InvalidDataException("Encoded sorted set has an odd number of elements.");
        var pairs = new List<(byte[], double)>(elements.Count / 2);
        for (int i = 0; i < elements.Count; i += 2)
            pairs.Add((elements[i], DecodeScore(elements[i + 1])));
        return pairs;
    }

    /// <summary>Encodes one value for the node store.</summary>
    internal static byte[] Encode(KeyEntry entry) =>
        entry.Type == ValueType.String ? entry.StringValue : EncodeElements(Elements(entry, canonical: false));

    /// <summary>A present key as the node store keeps it: type, encoded value, expiry.</summary>
    internal static StoredEntry ToStored(KeyEntry entry) => new(entry.Key, entry.Type, Encode(entry), entry.ExpireAtMs);

    /// <summary>Builds the in-memory value object for a stored value.</summary>
    internal static object Decode(ValueType type, byte[] encoded)
    {
        switch (type)
        {
            case ValueType.String:
                return encoded;
            case ValueType.Hash:
            {
                var elements = DecodeElements(encoded);
                if (elements.Count % 2 != 0)
                    throw new InvalidDataException("Encoded hash has an odd number of elements.");
                var hash = new Dictionary<byte[], byte[]>(elements.Count / 2, ByteArrayComparer.Instance);
                for (int i = 0; i < elements.Count; i += 2)
                    hash[elements[i]] = elements[i + 1];
                return hash;
            }
            case ValueType.List:
            {
                var elements = DecodeElements(encoded);
                var list = new ByteDeque(elements.Count);
                foreach (var e in elements)
                    list.PushBack(e);
                return list;
            }
            case ValueType.Set:
            {
                var set = new MemberSet();
                foreach (var e in DecodeElements(encoded))
                    set.Add(e);
                return set;
            }
            case ValueType.ZSet:
            {
                var set = new ZSet();
                foreach (var (member, score) in DecodeZSetPairs(encoded))
                    if (!set.Set(member, score))
                        throw new InvalidDataException("Encoded sorted set lists a member twice.");
                return set;
            }
            default:
                throw new InvalidDataException($"Unknown value type {(byte)type}.");
        }
    }
}
