using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>
/// One key as a check sees it: its type, absolute expiry (Unix ms, 0 = none), SHA-1 of its canonical value, and the
/// numbered database holding it.
/// </summary>
public sealed record KeyDigest(byte[] Key, ValueType Type, long ExpireAtMs, byte[] ValueDigest, int Database = 0);

/// <summary>
/// What one node computed for one check marker, at the marker's position.
/// </summary>
/// <param name="CheckId">The marker's run.</param>
/// <param name="Chunk">The marker's chunk number.</param>
/// <param name="Kind">The marker's kind.</param>
/// <param name="NodeId">Who computed it.</param>
/// <param name="KeyCount">Keys in the chunk.</param>
/// <param name="Digest">XOR of every key's digest (20 bytes, all zero when the chunk is empty).</param>
/// <param name="Keys">Per-key digests for a <see cref="CheckMarkerKind.Keys"/> marker, else empty.</param>
/// <param name="Error">Set when the node could not compute the chunk (a marker it cannot read).</param>
public sealed record ChunkResult(string CheckId, int Chunk, CheckMarkerKind Kind, string NodeId, long KeyCount, byte[] Digest,
    IReadOnlyList<KeyDigest> Keys, string? Error = null)
{
    /// <summary>True when both hold the same keys with the same digests.</summary>
    public bool SameAs(ChunkResult other) => KeyCount == other.KeyCount && Digest.AsSpan().SequenceEqual(other.Digest);
}
