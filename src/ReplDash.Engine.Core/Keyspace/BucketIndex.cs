using ReplDash.Engine.Core.Consistency;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The keys of each consistency-check bucket (<see cref="KeyBuckets"/>), kept in step with the keyspace so that
/// a chunk's digest costs its own keys, not a scan of every key. Lists with swap-remove: O(1) add and remove.
/// </summary>
internal sealed class BucketIndex
{
    private readonly List<KeyEntry>[] _buckets = new List<KeyEntry>[KeyBuckets.Count];

    public void Add(KeyEntry entry)
    {
        int bucket = KeyBuckets.BucketOf(entry.Key);
        var list = _buckets[bucket] ??= new List<KeyEntry>();
        entry.Bucket = bucket;
        entry.BucketIndex = list.Count;
        list.Add(entry);
    }

    public void Remove(KeyEntry entry)
    {
        var list = _buckets[entry.Bucket];
        int last = list.Count - 1;
        var moved = list[last];
        list[entry.BucketIndex] = moved;
        moved.BucketIndex = entry.BucketIndex;
        list.RemoveAt(last);
    }

    public void Clear() => Array.Clear(_buckets);

    /// <summary>The keys of one bucket (empty when none).</summary>
    public IReadOnlyList<KeyEntry> In(int bucket) => (IReadOnlyList<KeyEntry>?)_buckets[bucket] ?? [];
}
