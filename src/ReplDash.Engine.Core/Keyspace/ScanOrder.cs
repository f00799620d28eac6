namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The order SCAN walks: a table of slots, one per key, where a key keeps its slot for its whole
/// lifetime and the cursor is simply the next slot to visit. A key present for the whole iteration
/// never moves, so it is returned exactly once whatever is added or removed meanwhile; no state per
/// iteration lives on the server (every cursor is valid, none expire). Freed slots are reused by new
/// keys, so the table never grows past the largest number of keys held at once and a walk over a
/// keyspace of bounded size always ends. Long runs of free slots are skipped a bounded amount per call.
/// </summary>
internal sealed class ScanOrder
{
    private List<byte[]?> _slots = new();
    private Stack<int> _free = new();

    /// <summary>Gives a new key a slot and returns it.</summary>
    public int Add(byte[] key)
    {
        if (_free.TryPop(out int slot))
        {
            _slots[slot] = key;
            return slot;
        }
        _slots.Add(key);
        return _slots.Count - 1;
    }

    /// <summary>Frees the slot of a deleted key.</summary>
    public void Remove(int slot)
    {
        if (_slots[slot] is null)
            return;
        _slots[slot] = null;
        _free.Push(slot);
    }

    /// <summary>Forgets every key (FLUSHALL): with nothing left, no cursor can miss a key.</summary>
    public void Clear()
    {
        _slots = new List<byte[]?>();
        _free = new Stack<int>();
    }

    /// <summary>
    /// Adds to <paramref name="output"/> up to <paramref name="maxKeys"/> keys from slot
    /// <paramref name="cursor"/> on (looking at no more than ten times that many slots) and returns the
    /// cursor to continue from, 0 when the walk is complete.
    /// </summary>
    public long Walk(long cursor, int maxKeys, List<byte[]> output)
    {
        if (cursor >= _slots.Count)
            return 0;
        int index = (int)cursor;
        long maxSlots = Math.Max(1L, maxKeys * 10L);
        int found = 0;
        long visited = 0;
        while (index < _slots.Count && found < maxKeys && visited < maxSlots)
        {
            if (_slots[index] is { } key)
            {
                output.Add(key);
                found++;
            }
            index++;
            visited++;
        }
        // At least one slot was visited, so a cursor that continues is never 0.
        return index < _slots.Count ? index : 0;
    }

    /// <summary>
    /// A key chosen at random (RANDOMKEY), null when there is none: a few random slots first, then the next key
    /// after a random slot, so a table with many free slots still answers.
    /// </summary>
    public byte[]? RandomKey(Random random)
    {
        int count = _slots.Count;
        if (count == _free.Count)
            return null;
        for (int attempt = 0; attempt < 16; attempt++)
        {
            if (_slots[random.Next(count)] is { } key)
                return key;
        }
        int start = random.Next(count);
        for (int i = 0; i < count; i++)
        {
            if (_slots[(start + i) % count] is { } key)
                return key;
        }
        return null;
    }
}
