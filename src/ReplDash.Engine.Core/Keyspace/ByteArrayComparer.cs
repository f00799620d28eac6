namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// Compares byte arrays by content: equality and hashing for dictionaries keyed by Redis keys and
/// members, and unsigned lexicographic order for the canonical (sorted) forms used by the digest.
/// </summary>
public sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IComparer<byte[]>
{
    /// <summary>The shared instance (the comparer holds no state).</summary>
    public static readonly ByteArrayComparer Instance = new();

    private ByteArrayComparer()
    {
    }

    /// <summary>True when both arrays hold the same bytes.</summary>
    public bool Equals(byte[]? x, byte[]? y)
    {
        if (ReferenceEquals(x, y))
            return true;
        if (x is null || y is null)
            return false;
        return x.AsSpan().SequenceEqual(y);
    }

    /// <summary>A hash of the content (randomized per process, so never persisted or replicated).</summary>
    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }

    /// <summary>Unsigned byte-by-byte order; a prefix sorts before the longer array.</summary>
    public int Compare(byte[]? x, byte[]? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        return x.AsSpan().SequenceCompareTo(y);
    }
}
