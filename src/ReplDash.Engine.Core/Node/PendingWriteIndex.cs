using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Node;

/// <summary>
/// Which keys hold writes that are not yet committed (durable, and later acknowledged), and up to which
/// binlog position. A reply that depends on such a key must wait until the commit position passes it, so
/// that no client ever observes a write that a crash could still take back (lesson L4). Pure and
/// single-threaded: the node calls it under its lock.
/// </summary>
public sealed class PendingWriteIndex
{
    private readonly Dictionary<byte[], BinlogPosition> _keys = new(ByteArrayComparer.Instance);
    private readonly Queue<(BinlogPosition End, byte[][] Keys)> _order = new();
    private BinlogPosition _wholeDatasetUntil;

    public PendingWriteIndex(BinlogPosition committed) => Committed = committed;

    /// <summary>Everything before this position is committed.</summary>
    public BinlogPosition Committed { get; private set; }

    /// <summary>End of the newest write recorded (committed or not).</summary>
    public BinlogPosition LastRecorded { get; private set; }

    /// <summary>Number of keys with an uncommitted write.</summary>
    public int PendingKeyCount => _keys.Count;

    /// <summary>Notes that a write ending at <paramref name="end"/> changed <paramref name="keys"/>.</summary>
    public void Record(BinlogPosition end, byte[][] keys)
    {
        foreach (var key in keys)
            _keys[key] = end;
        _order.Enqueue((end, keys));
        LastRecorded = BinlogPosition.Max(LastRecorded, end);
    }

    /// <summary>Notes a write that changed the whole dataset (FLUSHALL).</summary>
    public void RecordWholeDataset(BinlogPosition end)
    {
        _wholeDatasetUntil = BinlogPosition.Max(_wholeDatasetUntil, end);
        LastRecorded = BinlogPosition.Max(LastRecorded, end);
    }

    /// <summary>The position a reply that read <paramref name="key"/> must wait for (at most Committed when none).</summary>
    public BinlogPosition DependencyOf(byte[] key)
    {
        var dependency = BinlogPosition.Max(Committed, _wholeDatasetUntil);
        return _keys.TryGetValue(key, out var end) ? BinlogPosition.Max(dependency, end) : dependency;
    }

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
            var (end, keys) = _order.Dequeue();
            foreach (var key in keys)
                if (_keys.TryGetValue(key, out var latest) && latest <= end)
                    _keys.Remove(key);
        }
    }
}
