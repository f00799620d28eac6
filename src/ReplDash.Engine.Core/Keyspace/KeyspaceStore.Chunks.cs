using ReplDash.Engine.Core.Consistency;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Digests of one consistency-check chunk (a range of key buckets).</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>
    /// Computes this node's result for <paramref name="marker"/> at once: <see cref="CaptureChunk"/> then
    /// <see cref="ChunkCapture.Compute"/>. A key's digest is SHA-1 of (key, type, expiry, value digest), the value
    /// digest SHA-1 of the type and canonical value, so a key differing in value, type or TTL changes the chunk's
    /// digest.
    /// </summary>
    public ChunkResult ComputeChunk(CheckMarker marker, string nodeId) => CaptureChunk(marker).Compute(nodeId);

    /// <summary>
    /// Copies the chunk's keys as they are now, for hashing later outside the node lock. Called under the node lock at
    /// the marker's position; costs a reference copy per key (and per element of a collection), no hashing.
    /// </summary>
    public ChunkCapture CaptureChunk(CheckMarker marker)
    {
        var capture = new ChunkCaptureBuilder(marker, CountInChunk(marker));
        CaptureInto(capture, 0);
        return capture.Build();
    }

    /// <summary>How many keys of this store fall in the marker's buckets.</summary>
    internal int CountInChunk(CheckMarker marker)
    {
        int count = 0;
        for (int bucket = marker.BucketFrom; bucket < marker.BucketTo; bucket++)
            count += _buckets.In(bucket).Count;
        return count;
    }

    /// <summary>Adds this store's keys of the chunk to <paramref name="capture"/>, as keys of database <paramref name="database"/>.</summary>
    internal void CaptureInto(ChunkCaptureBuilder capture, int database)
    {
        var marker = capture.Marker;
        for (int bucket = marker.BucketFrom; bucket < marker.BucketTo; bucket++)
        {
            foreach (var entry in _buckets.In(bucket))
                capture.Add(entry.Type == ValueType.String
                    ? new CapturedKey(entry.Key, entry.Type, entry.ExpireAtMs, entry.StringValue, null, database)
                    : new CapturedKey(entry.Key, entry.Type, entry.ExpireAtMs, null, Capture(entry), database));
        }
    }

    /// <summary>The present key as the node store keeps it, or null (for a repair, which re-writes it from here).</summary>
    public StoredEntry? Export(byte[] key) =>
        _entries.TryGetValue(key, out var entry) ? StoredValueCodec.ToStored(entry) : null;

    /// <summary>A collection's elements as they are now, in stored order (canonical order is for the hasher).</summary>
    private static byte[][] Capture(KeyEntry entry)
    {
        switch (entry.Type)
        {
            case ValueType.Hash:
            {
                var hash = entry.HashValue;
                var pairs = new byte[hash.Count * 2][];
                int at = 0;
                foreach (var (field, value) in hash)
                {
                    pairs[at++] = field;
                    pairs[at++] = value;
                }
                return pairs;
            }
            case ValueType.List:
                return entry.ListValue.Items().ToArray();
            case ValueType.Set:
                return [.. entry.SetValue.Members];
            case ValueType.ZSet:
                // Member and encoded score pairs in (score, member) order: already canonical.
                return [.. StoredValueCodec.Elements(entry, canonical: true)];
            default:
                throw new InvalidDataException($"unknown value type {entry.Type}");
        }
    }
}
