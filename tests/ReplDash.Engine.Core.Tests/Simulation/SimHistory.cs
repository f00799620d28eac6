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

    public BinlogPosition End => _items.Count > 0 ? _items[^1].End : SimLog.FirstItem;
    public int Count => _items.Count;

    public void Add(SimItem item)
    {
        if (_byStart.TryGetValue(item.Start, out var known))
        {
            if (!known.Encoded.AsSpan().SequenceEqual(item.Encoded))
                throw new SimViolation($"durable history rewritten at {item.Start}: {known.Id} became {item.Id}");
            return;
        }
        if (item.Start != End)
            throw new SimViolation($"durable item {item.Id} at {item.Start} does not continue the durable history ending at {End}");
        _byStart[item.Start] = item;
        _items.Add(item);
    }

    /// <summary>After a master's recovery: what it kept (synced by recovery) joins the history; what history had must still be there.</summary>
    public void Extend(SimLog binlog)
    {
        if (binlog.End < End)
            throw new SimViolation($"the master's recovered binlog ends at {binlog.End}, before its durable history's end {End}: acknowledged writes lost");
        foreach (var item in binlog.ItemsFrom(binlog.Start))
            Add(item);
    }

    /// <summary>The items that end after <paramref name="after"/> and at or before <paramref name="through"/>.</summary>
    public IEnumerable<SimItem> ItemsEndingIn(BinlogPosition after, BinlogPosition through) =>
        _items.Where(i => i.End > after && i.End <= through);

    public bool TryGet(BinlogPosition start, out SimItem item) => _byStart.TryGetValue(start, out item!);

    /// <summary>The data the history describes up to <paramref name="end"/>: the oracle for every node's digest.</summary>
    public string DigestUpTo(BinlogPosition end)
    {
        var keyspace = new KeyspaceStore();
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
