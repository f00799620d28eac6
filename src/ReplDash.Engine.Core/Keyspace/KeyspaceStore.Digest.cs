using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>The order-independent dataset digest used by consistency checks.</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>
    /// Order-independent digest of the whole dataset (keys, types, values, expiry): two nodes holding the
    /// same data answer the same 40 hex characters whatever the order of writes; all zeros when empty.
    /// Each key contributes SHA-1 of (key, type, expiry, canonical value) and the contributions are XORed,
    /// so neither the dictionary's order nor the order of writes matters.
    /// </summary>
    public string DigestHex()
    {
        Span<byte> total = stackalloc byte[SHA1.HashSizeInBytes];
        total.Clear();
        Span<byte> one = stackalloc byte[SHA1.HashSizeInBytes];
        Span<byte> header = stackalloc byte[12];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (var entry in _entries.Values)
        {
            AppendWithLength(sha, entry.Key);
            header[0] = (byte)entry.Type;
            BinaryPrimitives.WriteInt64LittleEndian(header[1..], entry.ExpireAtMs);
            sha.AppendData(header[..9]);
            var elements = StoredValueCodec.Elements(entry, canonical: true);
            BinaryPrimitives.WriteInt32LittleEndian(header, elements.Count);
            sha.AppendData(header[..4]);
            foreach (var element in elements)
                AppendWithLength(sha, element);
            sha.GetHashAndReset(one);
            for (int i = 0; i < total.Length; i++)
                total[i] ^= one[i];
        }
        return Convert.ToHexStringLower(total);
    }

    private static void AppendWithLength(IncrementalHash sha, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
