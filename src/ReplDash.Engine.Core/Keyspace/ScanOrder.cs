namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The order SCAN walks. Every key gets a sequence number when it is created, fixed until it is
/// deleted; the cursor is simply the next sequence number to visit. A key present for the whole
/// iteration keeps its number, so it is returned exactly once whatever is added or removed meanwhile,
/// and no per-iteration state lives on the server (any cursor is valid, none expire).
/// Deleted slots become holes, compacted away once they outnumber the live ones.
/// </summary>
internal sealed class ScanOrder
{
    private const int MinHolesBeforeCompaction = 64;

    // Parallel lists, sequence numbers strictly ascending; a null key is a hole.
    private List<long> _seqs = new();
    private List<byte[]?> _keys = new();
    private int _holes;
    private long _nextSeq = 1;

    /// <summary>Appends a new key and returns its sequence number (never 0, so 0 can mean "done").</summary>
    public long Append(byte[] key)
    {
        long seq = _nextSeq++;
        _seqs.Add(seq);
        _keys.Add(key);
        return seq;
    }

    public void Remove(long seq)
    {
        int index = _seqs.BinarySearch(seq);
        if (index < 0 || _keys[index] is null)
            return;
        _keys[index] = null;
        _holes++;
        if (_holes >= MinHolesBeforeCompaction && _holes * 2 > _seqs.Count)
            Compact();
    }

    /// <summary>Forgets every key; sequence numbers keep growing so old cursors cannot revisit new keys twice.</summary>
    public void Clear()
    {
        _seqs = new List<long>();
        _keys = new List<byte[]?>();
        _holes = 0;
    }

    /// <summary>
    /// Adds to <paramref name="output"/> up to <paramref name="maxKeys"/> keys at or after
    /// <paramref name="cursor"/> (looking at no more than ten times that many slots, so long runs of holes
    /// stay cheap) and returns the cursor to continue from, 0 when the walk is complete.
    /// </summary>
    public long Walk(long cursor, int maxKeys, List<byte[]> output)
    {
        int index = _seqs.BinarySearch(cursor);
        if (index < 0)
            index = ~index;
        long maxSlots = Math.Max(1L, maxKeys * 10L);
        int found = 0;
        long visited = 0;
        while (index < _seqs.Count && found < maxKeys && visited < maxSlots)
        {
            var key = _keys[index];
            if (key is not null)
            {
                output.Add(key);
                found++;
            }
            index++;
            visited++;
        }
        return index < _seqs.Count ? _seqs[index] : 0;
    }

    private void Compact()
    {
        var seqs = new List<long>(_seqs.Count - _holes);
        var keys = new List<byte[]?>(_seqs.Count - _holes);
        for (int i = 0; i < _seqs.Count; i++)
        {
            if (_keys[i] is { } key)
            {
                seqs.Add(_seqs[i]);
                keys.Add(key);
            }
        }
        _seqs = seqs;
        _keys = keys;
        _holes = 0;
    }
}
