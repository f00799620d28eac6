using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>
/// How consistency checks cut the keyspace into chunks (docs/CONSISTENCY.md): every key belongs to one of
/// <see cref="Count"/> buckets, <c>crc32c(key) mod Count</c>, and a chunk is a range of buckets. The bucket of a
/// key never depends on the data or on the node, so every node agrees on a chunk's members, and the node keeps
/// an index per bucket so that a chunk's keys are found without scanning the keyspace.
/// </summary>
public static class KeyBuckets
{
    /// <summary>Number of buckets. Part of the check marker's meaning: a marker names it, and a node refuses another.</summary>
    public const int Count = 4096;

    /// <summary>The bucket of <paramref name="key"/>.</summary>
    public static int BucketOf(ReadOnlySpan<byte> key) => (int)(Crc32C.Compute(key) % Count);
}
