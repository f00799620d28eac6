using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Node;

/// <summary>
/// Which keys hold writes that are not yet committed (durable, and later acknowledged), and up to which
/// binlog position. A reply that depends on such a key must wait until the commit position passes it, so
/// that no client ever observes a write that a crash could still take back (lesson L4). A key is one key in
/// one numbered database (<see cref="DatabaseKey"/>): a write to k in database 3 makes readers of k in database
/// 3 wait, not readers of k elsewhere. Pure and single-threaded: the node calls it under its lock.
/// </summary>
/// <remarks>
/// A key's first uncommitted write may carry an image of the key as committed before it. While that write is
/// uncommitted, a reader that has no uncommitted write of its own is answered from the image instead of
/// waiting: under semi-sync a write can wait seconds for its acknowledgements, and readers must neither see
/// it nor stall behind it. Once the first write commits the image is dropped (later writes of the key may
/// still be pending), and readers of the key wait as before.
/// </remarks>
public sealed class PendingWriteIndex
{
    private readonly Dictionary<DatabaseKey, BinlogPosition> _keys = new(DatabaseKey.Comparer);
    private readonly Queue<(BinlogPosition End, int Database, byte[][] Keys)> _order = new();
    private readonly Dictionary<DatabaseKey, (StoredEntry Image, BinlogPosition FirstWriteEnd)> _images = new(DatabaseKey.Comparer);
    private BinlogPosition _wholeDatasetUntil;

    public PendingWriteIndex(BinlogPosition committed) => Committed = committed;

    /// <summary>Everything before this position is committed.</summary>
    public BinlogPosition Committed { get; private set; }

    /// <summary>End of the newest write recorded (committed or not).</summary>
    public BinlogPosition LastRecorded { get; private set; }

    /// <summary>Number of keys with an uncommitted write.</summary>
    public int PendingKeyCount => _keys.Count;

    /// <summary>
    /// Notes that a write ending at <paramref name="end"/> changed <paramref name="keys"/> of database
    /// <paramref name="database"/>. <paramref name="images"/> holds the committed state of keys that had no pending
    /// write before this one (taken before it ran), each under its database.
    /// </summary>
    public void Record(BinlogPosition end, int database, byte[][] keys, IReadOnlyDictionary<DatabaseKey, StoredEntry>? images = null)
    {
        foreach (var name in keys)
        {
            var key = new DatabaseKey(database, name);
            if (images is not null && !_keys.ContainsKey(key) && images.TryGetValue(key, out var image))
                _images[key] = (image, end);
            _keys[key] = end;
        }
        _order.Enqueue((end, database, keys));
        LastRecorded = BinlogPosition.Max(LastRecorded, end);
    }

    /// <summary>Notes a write that changed the whole dataset (FLUSHALL).</summary>
    public void RecordWholeDataset(BinlogPosition end)
    {
        _wholeDatasetUntil = BinlogPosition.Max(_wholeDatasetUntil, end);
        LastRecorded = BinlogPosition.Max(LastRecorded, end);
    }

    /// <summary>The position a reply that read <paramref name="key"/> of <paramref name="database"/> must wait for (at most Committed when none).</summary>
    public BinlogPosition DependencyOf(int database, byte[] key)
    {
        var dependency = BinlogPosition.Max(Committed, _wholeDatasetUntil);
        return _keys.TryGetValue(new DatabaseKey(database, key), out var end) ? BinlogPosition.Max(dependency, end) : dependency;
    }

    /// <summary>True when <paramref name="key"/> of <paramref name="database"/> has an uncommitted write (or the whole dataset has).</summary>
    public bool IsPending(int database, byte[] key) => _wholeDatasetUntil > Committed || _keys.ContainsKey(new DatabaseKey(database, key));

    /// <summary>The committed state of a pending key of <paramref name="database"/>, when its first pending write carried one.</summary>
    public bool TryGetCommittedImage(int database, byte[] key, out StoredEntry image)
    {
        if (_wholeDatasetUntil <= Committed && _images.TryGetValue(new DatabaseKey(database, key), out var entry))
        {
            image = entry.Image;
            return true;
        }
        image = default;
        return false;
    }

    /// <summary>Keys answered from a committed image now (for tests and operators).</summary>
    public int ImageCount => _images.Count;

    /// <summary>The position a reply that read the whole dataset must wait for.</summary>
    public BinlogPosition DependencyOfWholeDataset() => BinlogPosition.Max(Committed, LastRecorded);

    /// <summary>Moves the commit position forward and forgets writes it covers.</summary>
    public void Commit(BinlogPosition committed)
    {
        if (committed <= Committed)
            return;
        Committed = committed;
        while (_order.Count > 0 && _order.Peek().End <= committed)
        {
            var (end, database, names) = _order.Dequeue();
            foreach (var name in names)
            {
                var key = new DatabaseKey(database, name);
                if (_keys.TryGetValue(key, out var latest) && latest <= end)
                    _keys.Remove(key);
                // The first pending write is committed now: the image is no longer the committed state.
                if (_images.TryGetValue(key, out var image) && image.FirstWriteEnd <= committed)
                    _images.Remove(key);
            }
        }
    }
}
