using ReplDash.Engine.Core.Consistency;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// Redis's numbered databases: one <see cref="KeyspaceStore"/> per database (0 .. <see cref="DatabaseCount"/> - 1).
/// A client works in the database it selected (<see cref="Commands.CommandContext.Keyspace"/> is that database's store),
/// so a command sees one database only; whole-dataset views (the digest, the key count, a snapshot, the checkpoint's
/// changes) cover every database. Not thread-safe: the node's lock covers it as it covers the stores.
/// </summary>
public sealed class KeyspaceDatabases
{
    /// <summary>Redis's default number of databases.</summary>
    public const int DefaultCount = 16;

    private readonly KeyspaceStore[] _stores;

    // SWAPDBs since the last checkpoint, in order: the node store relabels its rows the same way (see TakeDirty).
    private List<(int First, int Second)> _swaps = new();

    /// <summary>Empty databases 0 .. <paramref name="count"/> - 1.</summary>
    public KeyspaceDatabases(int count = DefaultCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _stores = new KeyspaceStore[count];
        for (int i = 0; i < count; i++)
            _stores[i] = new KeyspaceStore();
    }

    /// <summary>A single database 0 holding <paramref name="only"/> (a view of a few keys, tests).</summary>
    public KeyspaceDatabases(KeyspaceStore only) => _stores = [only];

    /// <summary>How many databases there are (SELECT accepts 0 .. DatabaseCount - 1).</summary>
    public int DatabaseCount => _stores.Length;

    /// <summary>The store of database <paramref name="index"/>.</summary>
    public KeyspaceStore this[int index] => _stores[index];

    /// <summary>True when <paramref name="index"/> names a database.</summary>
    public bool IsValid(long index) => index >= 0 && index < _stores.Length;

    /// <summary>Keys in every database (expired-but-not-yet-deleted keys included).</summary>
    public long Count
    {
        get
        {
            long total = 0;
            foreach (var store in _stores)
                total += store.Count;
            return total;
        }
    }

    /// <summary>Keys with an expiry, in every database.</summary>
    public long ExpiresCount
    {
        get
        {
            long total = 0;
            foreach (var store in _stores)
                total += store.ExpiresCount;
            return total;
        }
    }

    /// <summary>
    /// The order-independent digest of every database (DEBUG DIGEST, a full resync's check): all zeros when every
    /// database is empty; a key's contribution includes its database, so the same key in database 1 instead of 0
    /// changes the digest. With data in database 0 only it equals <see cref="KeyspaceStore.DigestHex"/>.
    /// </summary>
    public string DigestHex()
    {
        var total = new byte[System.Security.Cryptography.SHA1.HashSizeInBytes];
        for (int i = 0; i < _stores.Length; i++)
            _stores[i].AddDigest(total, i);
        return Convert.ToHexStringLower(total);
    }

    /// <summary>
    /// SWAPDB: exchanges the contents of two databases (clients stay on their index and see the other data). Every key
    /// watched in either database counts as changed (a watch stays with its store, which now sits at the other index,
    /// so an EXEC after a swap must abort; Redis also aborts it when the key exists in either database).
    /// </summary>
    public void Swap(int first, int second)
    {
        if (first == second)
            return;
        _stores[first].TouchAllWatched();
        _stores[second].TouchAllWatched();
        (_stores[first], _stores[second]) = (_stores[second], _stores[first]);
        _swaps.Add((first, second));
    }

    /// <summary>FLUSHALL: empties every database; false when all were empty already.</summary>
    public bool ClearAll()
    {
        bool any = false;
        foreach (var store in _stores)
        {
            if (store.Count == 0)
                continue;
            store.Clear();
            any = true;
        }
        return any;
    }

    /// <summary>
    /// Every change since the previous call, for the node store: the SWAPDBs in order (applied first, they relabel
    /// the stored rows as the stores were exchanged), the databases emptied since (by their index now), then every
    /// changed key with the index of the database holding it now.
    /// </summary>
    public DirtyKeys TakeDirty()
    {
        var entries = new List<StoredEntry>();
        var flushed = new List<int>();
        for (int i = 0; i < _stores.Length; i++)
        {
            var changes = _stores[i].TakeDirty();
            if (changes.FlushedAll)
                flushed.Add(i);
            foreach (var entry in changes.Entries)
                entries.Add(entry with { Database = i });
        }
        var result = new DirtyKeys(false, entries) { Swaps = _swaps, FlushedDatabases = flushed };
        _swaps = new();
        return result;
    }

    /// <summary>Every key of every database (with its database), for a full resync's snapshot.</summary>
    public List<StoredEntry> ExportAll()
    {
        var all = new List<StoredEntry>((int)Math.Min(Count, int.MaxValue));
        for (int i = 0; i < _stores.Length; i++)
            foreach (var entry in _stores[i].ExportAll())
                all.Add(entry with { Database = i });
        return all;
    }

    /// <summary>Loads one stored key into its database (start, full resync); does not mark it dirty.</summary>
    /// <exception cref="InvalidDataException">The key's database does not exist here (ReplDash:Databases is smaller than where it came from).</exception>
    public void Load(StoredEntry entry)
    {
        if (!IsValid(entry.Database))
            throw new InvalidDataException(
                $"A stored key belongs to database {entry.Database}, but this node has {_stores.Length} databases (ReplDash:Databases).");
        _stores[entry.Database].Load(entry);
    }

    /// <summary>
    /// This node's result for a check marker over every database: the chunk's buckets in each database, every key
    /// hashed with its database (docs/CONSISTENCY.md), so a key in the wrong database is a difference.
    /// </summary>
    public ChunkResult ComputeChunk(CheckMarker marker, string nodeId) => CaptureChunk(marker).Compute(nodeId);

    /// <summary>
    /// Copies the chunk's keys of every database, for hashing outside the node lock (<see cref="ChunkCapture.Compute"/>);
    /// called under the lock at the marker's position.
    /// </summary>
    public ChunkCapture CaptureChunk(CheckMarker marker)
    {
        int count = 0;
        foreach (var store in _stores)
            count += store.CountInChunk(marker);
        var capture = new ChunkCaptureBuilder(marker, count);
        for (int i = 0; i < _stores.Length; i++)
            _stores[i].CaptureInto(capture, i);
        return capture.Build();
    }
}
