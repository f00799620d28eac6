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
        var total = new byte[SHA1.HashSizeInBytes];
        AddDigest(total, 0);
        return Convert.ToHexStringLower(total);
    }

    /// <summary>
    /// XORs this store's key digests into <paramref name="total"/> as database <paramref name="database"/>: for
    /// database 0 exactly <see cref="DigestHex"/>'s contributions; for another, each key's hash input starts with the
    /// database number, so the same key in another database contributes differently.
    /// </summary>
    internal void AddDigest(byte[] total, int database)
    {
        Span<byte> one = stackalloc byte[SHA1.HashSizeInBytes];
        Span<byte> header = stackalloc byte[12];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (var entry in _entries.Values)
        {
            AppendDatabase(sha, database);
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
    }

    /// <summary>Database 0 adds nothing (digests of data written before databases existed stay the same).</summary>
    private static void AppendDatabase(IncrementalHash sha, int database)
    {
        if (database == 0)
            return;
        Span<byte> prefix = stackalloc byte[5];
        prefix[0] = 0xDB;
        BinaryPrimitives.WriteInt32LittleEndian(prefix[1..], database);
        sha.AppendData(prefix);
    }

    private static void AppendWithLength(IncrementalHash sha, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
