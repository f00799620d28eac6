namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// One key in memory. The value object depends on <see cref="Type"/>: byte[] for a string,
/// Dictionary&lt;byte[], byte[]&gt; for a hash, <see cref="ByteDeque"/> for a list, <see cref="MemberSet"/>
/// for a set. Expiry and scan position are changed only through <see cref="KeyspaceStore"/> so its
/// indexes stay right.
/// </summary>
internal sealed class KeyEntry
{
    public KeyEntry(byte[] key, ValueType type, object value)
    {
        Key = key;
        Type = type;
        Value = value;
    }

    /// <summary>The key bytes (the dictionary's own key array).</summary>
    public byte[] Key { get; }

    public ValueType Type { get; set; }

    public object Value { get; set; }

    /// <summary>Absolute expiry in Unix ms; 0 = none.</summary>
    public long ExpireAtMs { get; set; }

    /// <summary>Position in the SCAN order, fixed for the key's lifetime.</summary>
    public int ScanSlot { get; set; }

    /// <summary>The consistency-check bucket of the key (<see cref="KeyBuckets.BucketOf"/>), fixed for its lifetime.</summary>
    public int Bucket { get; set; }

    /// <summary>Index of this entry in its bucket's list (swap-remove keeps removal O(1)).</summary>
    public int BucketIndex { get; set; }

    /// <summary>
    /// The string was changed in place (APPEND, SETRANGE, SETBIT): OBJECT ENCODING then says "raw", as Redis does,
    /// whatever the content. Cleared when the value is replaced. Not persisted (Redis re-encodes on load too).
    /// </summary>
    public bool RawEncoding { get; set; }

    /// <summary>When a command last read or wrote the key (Unix ms, approximate; 0 = unknown), for OBJECT IDLETIME.</summary>
    public long LastAccessMs { get; set; }

    /// <summary>Listed for the next checkpoint (so it is listed once however often it changes).</summary>
    public bool Dirty { get; set; }

    /// <summary>Deleted from the keyspace (a checkpoint then deletes its row).</summary>
    public bool Removed { get; set; }

    public byte[] StringValue => (byte[])Value;

    public Dictionary<byte[], byte[]> HashValue => (Dictionary<byte[], byte[]>)Value;

    public ByteDeque ListValue => (ByteDeque)Value;

    public MemberSet SetValue => (MemberSet)Value;
}
