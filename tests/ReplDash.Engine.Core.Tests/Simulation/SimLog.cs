using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>One item of a simulated log.</summary>
internal sealed record SimItem(BinlogPosition Start, byte[] Encoded, TransactionId Id)
{
    public BinlogPosition End => Start with { Offset = Start.Offset + Encoded.Length };
    public ShippedItem Shipped => new(Start, Encoded);
}

/// <summary>
/// A simulated binlog or relay log on a simulated disk: items appended in order, a synced prefix, and a crash that
/// keeps what was synced and an arbitrary part of what was not, possibly tearing the first item it cuts (recovery
/// decodes the torn bytes, finds them incomplete and cuts them, as BinlogRecovery does).
/// </summary>
internal sealed class SimLog
{
    public static readonly BinlogPosition FirstItem = new(1, BinlogFormat.SegmentHeaderSize);

    private readonly List<SimItem> _items = new();
    private readonly List<long> _logicalEnds = new(); // per item: bytes of items up to its end (the master's logical offset)
    private long _baseLogical; // the logical offset of Start when the log is empty after a reset
    private readonly Dictionary<BinlogPosition, int> _byStart = new();
    private readonly Dictionary<BinlogPosition, int> _byEnd = new();
    private int _purged; // items before this index are purged
    private int _synced; // items before this index are durable

    /// <summary>Where the log's first retained item starts (or where the log starts when empty).</summary>
    public BinlogPosition Start { get; private set; } = FirstItem;

    /// <summary>True while nothing was ever purged and the log starts at the very first item.</summary>
    public bool StartsAtBeginning => _purged == 0 && Start == FirstItem;

    public BinlogPosition End => _items.Count > _purged ? _items[^1].End : Start;
    public BinlogPosition SyncedEnd => _synced > _purged ? _items[_synced - 1].End : Start;
    public int Count => _items.Count - _purged;
    public TransactionId LastId => _items.Count > _purged ? _items[^1].Id : TransactionId.None;

    /// <summary>
    /// An item starting at <paramref name="start"/> continues a log ending at <paramref name="end"/>: it starts there, or at the
    /// first item of the next segment (the binlog rotated).
    /// </summary>
    public static bool Follows(BinlogPosition end, BinlogPosition start) =>
        start == end || (start.FileNumber == end.FileNumber + 1 && start.Offset == BinlogFormat.SegmentHeaderSize);

    /// <summary>The logical offset (bytes of items before it) of an item boundary of this log (its start, an item's start or end).</summary>
    public long LogicalOf(BinlogPosition position)
    {
        if (_byEnd.TryGetValue(position, out int i))
            return _logicalEnds[i];
        if (_byStart.TryGetValue(position, out i))
            return i == 0 ? _baseLogical : _logicalEnds[i - 1];
        if (_items.Count == 0)
            return _baseLogical;
        throw new InvalidOperationException($"{position} is not an item boundary of this log");
    }
    /// <summary>Empties the log; its next item starts at <paramref name="start"/> (a relay log after a snapshot, a new slave).</summary>
    public void Reset(BinlogPosition start)
    {
        _items.Clear();
        _byStart.Clear();
        _byEnd.Clear();
        _logicalEnds.Clear();
        _purged = _synced = 0;
        Start = start;
    }

    /// <summary>Empties the log as <see cref="Reset(BinlogPosition)"/>, its start at logical offset <paramref name="logical"/>.</summary>
    public void Reset(BinlogPosition start, long logical)
    {
        Reset(start);
        _baseLogical = logical;
    }

    public void Append(SimItem item)
    {
        if (!(_items.Count == 0 ? item.Start == End : Follows(End, item.Start)))
            throw new InvalidOperationException($"append at {item.Start} but the log ends at {End}");
        _byStart[item.Start] = _items.Count;
        _byEnd[item.End] = _items.Count;
        _logicalEnds.Add((_items.Count == 0 ? _baseLogical : _logicalEnds[^1]) + item.Encoded.Length);
        _items.Add(item);
    }

    /// <summary>Makes everything up to <paramref name="position"/> durable; returns the items that became durable.</summary>
    public List<SimItem> SyncUpTo(BinlogPosition position)
    {
        var newly = new List<SimItem>();
        while (_synced < _items.Count && _items[_synced].End <= position)
            newly.Add(_items[_synced++]);
        if (_synced < _purged)
            _synced = _purged;
        return newly;
    }

    public bool TryGet(BinlogPosition start, out SimItem item)
    {
        if (_byStart.TryGetValue(start, out int index) && index >= _purged)
        {
            item = _items[index];
            return true;
        }
        item = null!;
        return false;
    }

    /// <summary>An item starts there, or the log ends there, or an item ends there (the end of a segment the binlog rotated from).</summary>
    public bool IsBoundary(BinlogPosition position) => position == End || (_byStart.TryGetValue(position, out int i) && i >= _purged)
        || (_byEnd.TryGetValue(position, out i) && i >= _purged - 1);

    /// <summary>The transaction ending at <paramref name="position"/>; at the retained start, the last purged one (a segment's
    /// first item follows the previous segment's last, which the engine can still name).</summary>
    public TransactionId IdEndingAt(BinlogPosition position) =>
        _byEnd.TryGetValue(position, out int i) && i >= _purged - 1 ? _items[i].Id : TransactionId.None;

    public IEnumerable<SimItem> ItemsFrom(BinlogPosition from)
    {
        for (int i = _purged; i < _items.Count; i++)
            if (_items[i].Start >= from)
                yield return _items[i];
    }

    public IReadOnlyList<ShippedItem> Read(BinlogPosition from, BinlogPosition upTo, int maxItems, long maxBytes)
    {
        var result = new List<ShippedItem>();
        if (!_byStart.TryGetValue(from, out int index))
            index = _byEnd.TryGetValue(from, out int before) ? before + 1 : -1; // the end of a segment: the next one's first item
        if (index < _purged)
            return result;
        long bytes = 0;
        for (int i = index; i < _items.Count && result.Count < maxItems; i++)
        {
            var item = _items[i];
            if (item.End > upTo || (result.Count > 0 && bytes + item.Encoded.Length > maxBytes))
                break;
            result.Add(item.Shipped);
            bytes += item.Encoded.Length;
        }
        return result;
    }

    /// <summary>
    /// Drops items that end before <paramref name="floor"/> (never an unsynced one). The item ending at the floor stays, as
    /// the engine never purges its current segment: TrySync at the floor can still check the transaction before it.
    /// </summary>
    public void PurgeBefore(BinlogPosition floor)
    {
        while (_purged < _synced && _items[_purged].End < floor)
            _purged++;
        Start = _purged < _items.Count ? _items[_purged].Start : End;
        if (_purged == _items.Count && _items.Count > 0)
            Start = _items[^1].End;
    }

    /// <summary>
    /// Damaged storage, or a data directory restored from an older copy: every item from <paramref name="cut"/> on is gone,
    /// synced or not. Returns how many items were lost.
    /// </summary>
    public int CutTail(BinlogPosition cut)
    {
        int index = _byStart.TryGetValue(cut, out int i) ? i : _items.Count;
        int lost = _items.Count - index;
        for (int j = index; j < _items.Count; j++)
        {
            _byStart.Remove(_items[j].Start);
            _byEnd.Remove(_items[j].End);
        }
        _items.RemoveRange(index, lost);
        _logicalEnds.RemoveRange(index, lost);
        _synced = Math.Min(_synced, _items.Count);
        _purged = Math.Min(_purged, _items.Count);
        return lost;
    }

    /// <summary>The items from <paramref name="from"/> (an item start or a segment's end) up to <paramref name="until"/>; null when this log does not hold them.</summary>
    public List<ShippedItem>? ItemsBetween(BinlogPosition from, BinlogPosition until)
    {
        var items = new List<ShippedItem>();
        foreach (var item in ItemsFrom(from))
        {
            if (item.End > until)
                break;
            items.Add(item.Shipped);
        }
        return items.Count > 0 && Follows(from, items[0].Start) && items[^1].End == until ? items : null;
    }

    /// <summary>
    /// A crash: keeps the synced items and a random number of the unsynced ones whole; the next one may be torn. Returns
    /// what recovery saw (items kept, torn bytes cut).
    /// </summary>
    public string Crash(Random random)
    {
        int unsynced = _items.Count - _synced;
        int keep = unsynced == 0 ? 0 : random.Next(unsynced + 1);
        int cut = _synced + keep;
        string torn = "";
        if (cut < _items.Count && random.Next(2) == 0)
        {
            // The first lost item was half written: recovery must find it incomplete and cut it.
            var bytes = _items[cut].Encoded;
            int length = 1 + random.Next(bytes.Length - 1);
            var status = BinlogItemCodec.TryDecode(bytes.AsSpan(0, length), out _, out _);
            if (status == ItemDecodeStatus.Ok)
                throw new InvalidOperationException("a torn item decoded whole");
            torn = $", torn item of {length}/{bytes.Length} bytes at {_items[cut].Start} cut ({status})";
        }
        for (int i = cut; i < _items.Count; i++)
        {
            _byStart.Remove(_items[i].Start);
            _byEnd.Remove(_items[i].End);
        }
        int lost = _items.Count - cut;
        _items.RemoveRange(cut, lost);
        _logicalEnds.RemoveRange(cut, lost);
        // Recovery syncs what it kept: from now on it is the log.
        _synced = _items.Count;
        if (_purged > _items.Count)
            _purged = _items.Count;
        return $"kept {keep} of {unsynced} unsynced item(s), lost {lost}{torn}";
    }
}
