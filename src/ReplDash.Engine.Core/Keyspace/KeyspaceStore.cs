using ReplDash.Engine.Core.Commands;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The in-memory dataset of one numbered database of a node (<see cref="KeyspaceDatabases"/> holds them all). Not thread-safe: the node holds one lock around
/// every call. Tracks which keys changed since the last checkpoint so the node store writes only those.
/// Command handlers (in <c>Commands/</c>) change it through the internal members below, which keep the
/// expiry index, the SCAN order and the dirty set in step.
/// </summary>
public sealed partial class KeyspaceStore
{
    internal static readonly byte[] DelCommand = "DEL"u8.ToArray();

    private Dictionary<byte[], KeyEntry> _entries = new(ByteArrayComparer.Instance);
    private readonly ExpiryIndex _expiries = new();
    private readonly ScanOrder _scanOrder = new();
    private readonly BucketIndex _buckets = new();

    /// <summary>Number of keys (expired-but-not-yet-deleted keys included).</summary>
    public long Count => _entries.Count;

    /// <summary>Number of keys with an expiry.</summary>
    public long ExpiresCount => _expiries.Count;

    /// <summary>
    /// INFO keyspace's <c>avg_ttl</c>: the exact mean remaining time to live, in ms, of this database's keys that expire
    /// after <paramref name="nowMs"/>; 0 when none does (Redis estimates it by sampling; here it is exact).
    /// </summary>
    public long AverageTtlMs(long nowMs) => _expiries.AverageTtlMs(nowMs);

    /// <summary>True when the key is present (expired-but-not-yet-deleted keys included); no side effects.</summary>
    public bool ContainsKey(byte[] key) => _entries.ContainsKey(key);

    /// <summary>
    /// Finds a key for a command. On the master (clock set) a key whose expiry has passed is deleted
    /// first and a DEL effect recorded, so replicas delete it at the same point of the stream.
    /// </summary>
    internal KeyEntry? Lookup(CommandContext context, byte[] key)
    {
        if ((context.NowMs ?? context.ReadClockMs) is long clock)
            _accessClockMs = clock;
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (IsDue(entry, context.NowMs))
        {
            if (context.DefersExpiryDeletes)
                return null;
            Remove(entry);
            context.RecordEffect(DelCommand, entry.Key);
            return null;
        }
        entry.LastAccessMs = _accessClockMs;
        return entry;
    }

    // The clock of the latest lookup: the access time given to keys (OBJECT IDLETIME), without a clock read per key.
    private long _accessClockMs;

    /// <summary>Finds a key without expiring it (for writes that replace the value and its expiry anyway).</summary>
    internal KeyEntry? Peek(byte[] key) => _entries.GetValueOrDefault(key);

    /// <summary>True when the key's expiry is at or before the master clock; never true while applying.</summary>
    internal static bool IsDue(KeyEntry entry, long? nowMs) => IsDue(entry.ExpireAtMs, nowMs);

    /// <summary>True when an absolute expiry (0 = none) is at or before the master clock; never true while applying.</summary>
    internal static bool IsDue(long expireAtMs, long? nowMs) =>
        expireAtMs != 0 && nowMs is long now && expireAtMs <= now;

    /// <summary>Adds a key that is not present; no expiry.</summary>
    internal KeyEntry Create(byte[] key, ValueType type, object value)
    {
        var entry = new KeyEntry(key, type, value) { LastAccessMs = _accessClockMs };
        _entries.Add(key, entry);
        entry.ScanSlot = _scanOrder.Add(key);
        _buckets.Add(entry);
        MarkDirty(entry);
        return entry;
    }

    /// <summary>
    /// Sets a string value, replacing whatever the key held. The expiry becomes
    /// <paramref name="expireAtMs"/> (0 = none) unless <paramref name="keepTtl"/>.
    /// </summary>
    internal void SetString(byte[] key, byte[] value, long expireAtMs, bool keepTtl) =>
        SetString(_entries.GetValueOrDefault(key), key, value, expireAtMs, keepTtl);

    /// <summary>
    /// <see cref="SetString(byte[], byte[], long, bool)"/> for a caller that has just looked the key up:
    /// <paramref name="existing"/> is its present entry, or null when absent (one lookup per SET, not two).
    /// </summary>
    internal void SetString(KeyEntry? existing, byte[] key, byte[] value, long expireAtMs, bool keepTtl)
    {
        var entry = existing;
        if (entry is not null)
        {
            entry.Type = ValueType.String;
            entry.Value = value;
            entry.RawEncoding = false;
            MarkDirty(entry);
        }
        else
        {
            entry = Create(key, ValueType.String, value);
        }
        if (!keepTtl)
            SetExpiry(entry, expireAtMs);
    }

    /// <summary>Replaces the value of a present string key, keeping its expiry (INCR, APPEND).</summary>
    internal void ReplaceString(KeyEntry entry, byte[] value)
    {
        entry.Value = value;
        entry.RawEncoding = false;
        MarkDirty(entry);
    }

    /// <summary>Sets or clears (0) the absolute expiry of a present key.</summary>
    internal void SetExpiry(KeyEntry entry, long expireAtMs)
    {
        // 0 means "no expiry", so a past time at or before the epoch (kept only while applying) becomes 1.
        if (expireAtMs < 0)
            expireAtMs = 1;
        if (entry.ExpireAtMs == expireAtMs)
            return;
        if (entry.ExpireAtMs != 0)
            _expiries.Remove(entry.ExpireAtMs, entry.Key);
        entry.ExpireAtMs = expireAtMs;
        if (expireAtMs != 0)
            _expiries.Add(expireAtMs, entry.Key);
        MarkDirty(entry);
    }

    /// <summary>Deletes a present key.</summary>
    internal void Remove(KeyEntry entry)
    {
        _entries.Remove(entry.Key);
        if (entry.ExpireAtMs != 0)
            _expiries.Remove(entry.ExpireAtMs, entry.Key);
        _scanOrder.Remove(entry.ScanSlot);
        _buckets.Remove(entry);
        entry.Removed = true;
        MarkDirty(entry);
    }

    /// <summary>Records that a collection value was changed in place (HSET, LPUSH, SADD...).</summary>
    internal void Touch(KeyEntry entry) => MarkDirty(entry);

    /// <summary>Deletes a collection key that became empty, otherwise marks it changed.</summary>
    internal void TouchOrRemoveIfEmpty(KeyEntry entry, int remaining)
    {
        if (remaining == 0)
            Remove(entry);
        else
            Touch(entry);
    }

    /// <summary>Deletes every key (FLUSHALL).</summary>
    internal void Clear()
    {
        if (_watches is { Count: > 0 } watches)
            watches.TouchExisting();
        _entries = new Dictionary<byte[], KeyEntry>(ByteArrayComparer.Instance);
        _expiries.Clear();
        _scanOrder.Clear();
        _buckets.Clear();
        MarkFlushedAll();
    }

    /// <summary>Every key present, expired-but-not-yet-deleted included.</summary>
    internal IEnumerable<KeyEntry> Entries => _entries.Values;

    /// <summary>Loads one key from the node store at start (does not mark it dirty).</summary>
    public void Load(StoredEntry entry)
    {
        if (_entries.TryGetValue(entry.Key, out var existing))
            RemoveClean(existing);
        if (entry.Value is null)
            return;
        var value = StoredValueCodec.Decode(entry.Type, entry.Value);
        var loaded = new KeyEntry(entry.Key, entry.Type, value);
        _entries.Add(entry.Key, loaded);
        loaded.ScanSlot = _scanOrder.Add(entry.Key);
        _buckets.Add(loaded);
        if (entry.ExpireAtMs != 0)
        {
            loaded.ExpireAtMs = entry.ExpireAtMs;
            _expiries.Add(entry.ExpireAtMs, entry.Key);
        }
    }

    private void RemoveClean(KeyEntry entry)
    {
        entry.Removed = true;
        _entries.Remove(entry.Key);
        if (entry.ExpireAtMs != 0)
            _expiries.Remove(entry.ExpireAtMs, entry.Key);
        _scanOrder.Remove(entry.ScanSlot);
        _buckets.Remove(entry);
    }
}
