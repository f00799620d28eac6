using System.Security.Cryptography;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>
/// One chunk's keys as they were at a check marker's position, taken under the node lock by
/// <see cref="KeyspaceStore.CaptureChunk"/> and hashed later, outside it (<see cref="Compute"/>), so that a chunk
/// stalls writes only for the copy, not for the digest (docs/CONSISTENCY.md, "Chunk size").
/// </summary>
/// <remarks>
/// The copy holds references to the stored byte arrays, not copies of them: stored values and collection elements are
/// never changed in place (a write stores a new array, because stored arrays are shared with logged effects), so the
/// referenced bytes stay as they were at the marker. Only the collections themselves are copied, as arrays.
/// </remarks>
public sealed class ChunkCapture
{
    // Keys in segments below the large-object heap's threshold (85,000 bytes): a capture of 100,000 keys in one
    // array would land there, and each such allocation brings a full collection of the whole keyspace's heap nearer.
    internal const int SegmentLength = 2000;

    private readonly List<CapturedKey[]> _segments;

    internal ChunkCapture(CheckMarker marker, List<CapturedKey[]> segments, int keyCount)
    {
        Marker = marker;
        _segments = segments;
        KeyCount = keyCount;
    }

    /// <summary>The marker the chunk was captured for.</summary>
    public CheckMarker Marker { get; }

    /// <summary>Keys captured.</summary>
    public int KeyCount { get; }

    /// <summary>
    /// The node's result for the marker: key count, digest (XOR of every key's digest) and, for a keys marker, per-key
    /// digests. Safe to call on any thread, once the capture is taken.
    /// </summary>
    public ChunkResult Compute(string nodeId)
    {
        var total = new byte[SHA1.HashSizeInBytes];
        Span<byte> one = stackalloc byte[SHA1.HashSizeInBytes];
        Span<byte> value = stackalloc byte[SHA1.HashSizeInBytes];
        bool withKeys = Marker.Kind == CheckMarkerKind.Keys;
        var keys = withKeys ? new List<KeyDigest>(KeyCount) : null;
        using var digester = new KeyDigester();
        for (int n = 0; n < KeyCount; n++)
        {
            ref readonly var key = ref _segments[n / SegmentLength][n % SegmentLength];
            digester.Digest(key, one, value);
            for (int i = 0; i < total.Length; i++)
                total[i] ^= one[i];
            keys?.Add(new KeyDigest(key.Key, key.Type, key.ExpireAtMs, value.ToArray(), key.Database));
        }
        return new ChunkResult(Marker.CheckId, Marker.Chunk, Marker.Kind, nodeId, KeyCount, total, (IReadOnlyList<KeyDigest>?)keys ?? []);
    }
}

/// <summary>
/// One key of a <see cref="ChunkCapture"/>: a string's value in <see cref="Value"/>; a collection's elements in
/// <see cref="Elements"/>: the list in order, the set's members or the hash's field, value pairs, as captured (hash
/// fields and set members are put in canonical order when hashed, outside the lock).
/// </summary>
/// <see cref="Database"/>: the key's database (0 for data written before databases existed, and the default).
internal readonly record struct CapturedKey(byte[] Key, ValueType Type, long ExpireAtMs, byte[]? Value, byte[][]? Elements, int Database = 0);

/// <summary>
/// Builds a <see cref="ChunkCapture"/> from the keys of one or more databases, in segments sized for the known count
/// (none on the large-object heap).
/// </summary>
internal sealed class ChunkCaptureBuilder(CheckMarker marker, int count)
{
    private readonly List<CapturedKey[]> _segments = new(count / ChunkCapture.SegmentLength + 1);
    private int _at;

    /// <summary>The marker being captured.</summary>
    public CheckMarker Marker { get; } = marker;

    /// <summary>Adds one key; at most the count given at construction.</summary>
    public void Add(in CapturedKey key)
    {
        if (_at % ChunkCapture.SegmentLength == 0)
            _segments.Add(new CapturedKey[Math.Min(ChunkCapture.SegmentLength, count - _at)]);
        _segments[^1][_at % ChunkCapture.SegmentLength] = key;
        _at++;
    }

    /// <summary>The capture of every key added.</summary>
    public ChunkCapture Build() =>
        _at == count ? new ChunkCapture(Marker, _segments, count)
            : throw new InvalidOperationException($"captured {_at} keys of the {count} counted");
}
