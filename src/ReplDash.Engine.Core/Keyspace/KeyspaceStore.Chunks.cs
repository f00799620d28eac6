using System.Buffers.Binary;
using System.Security.Cryptography;
using ReplDash.Engine.Core.Consistency;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Digests of one consistency-check chunk (a range of key buckets).</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>
    /// Computes this node's result for <paramref name="marker"/>: the chunk's key count and digest, and per-key digests
    /// when the marker asks for them. A key's digest is SHA-1 of (key, type, expiry, value digest), the value digest
    /// SHA-1 of the type and canonical value, so a key differing in value, type or TTL changes the chunk's digest. Called under
    /// the node lock at the marker's position.
    /// </summary>
    public ChunkResult ComputeChunk(CheckMarker marker, string nodeId)
    {
        var total = new byte[SHA1.HashSizeInBytes];
        var keys = marker.Kind == CheckMarkerKind.Keys ? new List<KeyDigest>() : null;
        long count = AddChunk(marker, 0, total, keys);
        return new ChunkResult(marker.CheckId, marker.Chunk, marker.Kind, nodeId, count, total, (IReadOnlyList<KeyDigest>?)keys ?? []);
    }

    /// <summary>
    /// Adds this store's keys of the marker's chunk as database <paramref name="database"/>: XORs each key's digest into
    /// <paramref name="total"/> (a key outside database 0 hashes its database first, see <see cref="AppendDatabase"/>),
    /// appends per-key digests to <paramref name="keys"/> when given, and returns how many keys it added.
    /// </summary>
    internal long AddChunk(CheckMarker marker, int database, byte[] total, List<KeyDigest>? keys)
    {
        Span<byte> one = stackalloc byte[SHA1.HashSizeInBytes];
        Span<byte> header = stackalloc byte[9];
        long count = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        for (int bucket = marker.BucketFrom; bucket < marker.BucketTo; bucket++)
        {
            foreach (var entry in _buckets.In(bucket))
            {
                var valueDigest = ValueDigest(sha, entry);
                AppendDatabase(sha, database);
                AppendWithLength(sha, entry.Key);
                header[0] = (byte)entry.Type;
                BinaryPrimitives.WriteInt64LittleEndian(header[1..], entry.ExpireAtMs);
                sha.AppendData(header);
                sha.AppendData(valueDigest);
                sha.GetHashAndReset(one);
                for (int i = 0; i < total.Length; i++)
                    total[i] ^= one[i];
                count++;
                keys?.Add(new KeyDigest(entry.Key, entry.Type, entry.ExpireAtMs, valueDigest, database));
            }
        }
        return count;
    }

    /// <summary>The present key as the node store keeps it, or null (for a repair, which re-writes it from here).</summary>
    public StoredEntry? Export(byte[] key) =>
        _entries.TryGetValue(key, out var entry) ? StoredValueCodec.ToStored(entry) : null;

    private static byte[] ValueDigest(IncrementalHash sha, KeyEntry entry)
    {
        var elements = StoredValueCodec.Elements(entry, canonical: true);
        Span<byte> header = stackalloc byte[5];
        header[0] = (byte)entry.Type;
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], elements.Count);
        sha.AppendData(header);
        foreach (var element in elements)
            AppendWithLength(sha, element);
        return sha.GetHashAndReset();
    }
}
