using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>
/// Ground truth: every item the master ever made durable, in order. Durable history never changes (a crash keeps what
/// was synced), so anything a slave holds, applies or acknowledges must be a prefix of it.
/// </summary>
internal sealed class SimHistory
{
    private readonly Dictionary<BinlogPosition, SimItem> _byStart = new();
    private readonly List<SimItem> _items = new();
    private readonly Dictionary<BinlogPosition, BinlogPosition> _nextByEnd = new();
    private readonly Dictionary<BinlogPosition, long> _logicalByEnd = new();

    public BinlogPosition End => _items.Count > 0 ? _items[^1].End : SimLog.FirstItem;
    public int Count => _items.Count;

    public void Add(SimItem item)
    {
        if (_byStart.TryGetValue(item.Start, out var known))
        {
            if (!known.Encoded.AsSpan().SequenceEqual(item.Encoded))
                throw new SimViolation($"durable history rewritten at {item.Start}: {known.Id} became {item.Id} (other bytes): the master wrote over " +
                    "durable items it had lost instead of taking them back");
            return;
        }
        if (!(_items.Count == 0 ? item.Start == End : SimLog.Follows(End, item.Start)))
            throw new SimViolation($"durable item {item.Id} at {item.Start} does not continue the durable history ending at {End}");
        long logical = (_items.Count == 0 ? 0 : _logicalByEnd[End]) + item.Encoded.Length;
        _nextByEnd[End] = item.Start;
        _byStart[item.Start] = item;
        _logicalByEnd[item.End] = logical;
        _items.Add(item);
    }

    /// <summary>After a master's recovery: what it kept (synced by recovery) joins the history; what history had must still be there.</summary>
    /// <param name="tailLost">The master's storage lost its tail by a fault (damage, an older copy restored): it may end before the
    /// history; what it lost must come back from a slave (SendBack) before the master writes at those positions.</param>
    public void Extend(SimLog binlog, bool tailLost = false)
    {
        if (binlog.End < End && !tailLost)
            throw new SimViolation($"the master's recovered binlog ends at {binlog.End}, before its durable history's end {End}: acknowledged writes lost");
        foreach (var item in binlog.ItemsFrom(binlog.Start))
            Add(item);
    }

    /// <summary>The items that end after <paramref name="after"/> and at or before <paramref name="through"/>.</summary>
    public IEnumerable<SimItem> ItemsEndingIn(BinlogPosition after, BinlogPosition through) =>
        _items.Where(i => i.End > after && i.End <= through);

    public bool TryGet(BinlogPosition start, out SimItem item) => _byStart.TryGetValue(start, out item!);

    /// <summary>Where the item after the one ending at <paramref name="end"/> starts (<paramref name="end"/> itself when none is known).</summary>
    public BinlogPosition NextStartAfter(BinlogPosition end) => _nextByEnd.TryGetValue(end, out var next) ? next : end;

    /// <summary>The logical offset of an item end of the history (0 at its start).</summary>
    public long LogicalOf(BinlogPosition end) => _logicalByEnd.TryGetValue(end, out long logical) ? logical : 0;

    /// <summary>The data the history describes up to <paramref name="end"/>: the oracle for every node's digest.</summary>
    public string DigestUpTo(BinlogPosition end)
    {
        var keyspace = new KeyspaceDatabases(SimStore.Databases);
        var applier = new ItemApplier(keyspace);
        foreach (var item in _items)
        {
            if (item.End > end)
                break;
            applier.Apply(SimMaster.Decode(item));
        }
        return keyspace.DigestHex();
    }
}
