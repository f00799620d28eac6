namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The value of a list key: a ring buffer of elements with O(1) push and pop at both ends and O(1)
/// access by index (LRANGE).
/// </summary>
public sealed class ByteDeque
{
    private byte[][] _items;
    private int _head;
    private int _count;

    /// <summary>Creates an empty deque.</summary>
    public ByteDeque(int capacity = 4)
    {
        _items = new byte[Math.Max(1, capacity)][];
    }

    /// <summary>Number of elements.</summary>
    public int Count => _count;

    /// <summary>The element at <paramref name="index"/> counted from the head (0 = leftmost).</summary>
    public byte[] this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                throw new ArgumentOutOfRangeException(nameof(index));
            return _items[Slot(index)];
        }
    }

    /// <summary>Adds an element at the head (LPUSH).</summary>
    public void PushFront(byte[] item)
    {
        EnsureRoom();
        _head = _head == 0 ? _items.Length - 1 : _head - 1;
        _items[_head] = item;
        _count++;
    }

    /// <summary>Adds an element at the tail (RPUSH).</summary>
    public void PushBack(byte[] item)
    {
        EnsureRoom();
        _items[Slot(_count)] = item;
        _count++;
    }

    /// <summary>Removes and returns the head element; the deque must not be empty.</summary>
    public byte[] PopFront()
    {
        if (_count == 0)
            throw new InvalidOperationException("The list is empty.");
        var item = _items[_head];
        _items[_head] = null!; // let the element be collected
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        _count--;
        return item;
    }

    /// <summary>Removes and returns the tail element; the deque must not be empty.</summary>
    public byte[] PopBack()
    {
        if (_count == 0)
            throw new InvalidOperationException("The list is empty.");
        int slot = Slot(_count - 1);
        var item = _items[slot];
        _items[slot] = null!;
        _count--;
        return item;
    }

    /// <summary>Replaces the element at <paramref name="index"/> (LSET).</summary>
    public void Set(int index, byte[] item)
    {
        if ((uint)index >= (uint)_count)
            throw new ArgumentOutOfRangeException(nameof(index));
        _items[Slot(index)] = item;
    }

    /// <summary>Inserts an element so that it ends at <paramref name="index"/> (0 to Count), shifting the tail (LINSERT).</summary>
    public void Insert(int index, byte[] item)
    {
        if ((uint)index > (uint)_count)
            throw new ArgumentOutOfRangeException(nameof(index));
        EnsureRoom();
        for (int i = _count; i > index; i--)
            _items[Slot(i)] = _items[Slot(i - 1)];
        _items[Slot(index)] = item;
        _count++;
    }

    /// <summary>
    /// Removes elements equal to <paramref name="value"/>, at most <paramref name="limit"/> of them (0: all), the
    /// first ones from the head, or from the tail when <paramref name="fromTail"/> (LREM). Returns how many.
    /// </summary>
    public int RemoveEqual(ReadOnlySpan<byte> value, long limit, bool fromTail)
    {
        // Mark the victims first (in the wanted direction), then compact once: O(n) whatever the count.
        var remove = new bool[_count];
        int removed = 0;
        for (int n = 0; n < _count && (limit == 0 || removed < limit); n++)
        {
            int i = fromTail ? _count - 1 - n : n;
            if (_items[Slot(i)].AsSpan().SequenceEqual(value))
            {
                remove[i] = true;
                removed++;
            }
        }
        if (removed == 0)
            return 0;
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            if (!remove[i])
                _items[Slot(kept++)] = _items[Slot(i)];
        }
        for (int i = kept; i < _count; i++)
            _items[Slot(i)] = null!;
        _count = kept;
        return removed;
    }

    /// <summary>Keeps only the elements from <paramref name="start"/> to <paramref name="stop"/> inclusive (valid indexes; LTRIM).</summary>
    public void Keep(int start, int stop)
    {
        int fromTail = _count - 1 - stop;
        for (int i = 0; i < fromTail; i++)
            PopBack();
        for (int i = 0; i < start; i++)
            PopFront();
    }

    /// <summary>Removes every element.</summary>
    public void Clear()
    {
        while (_count > 0)
            PopBack();
    }

    /// <summary>The elements from head to tail.</summary>
    public IEnumerable<byte[]> Items()
    {
        for (int i = 0; i < _count; i++)
            yield return _items[Slot(i)];
    }

    private int Slot(int index)
    {
        int slot = _head + index;
        return slot >= _items.Length ? slot - _items.Length : slot;
    }

    private void EnsureRoom()
    {
        if (_count < _items.Length)
            return;
        var bigger = new byte[_items.Length * 2][];
        for (int i = 0; i < _count; i++)
            bigger[i] = _items[Slot(i)];
        _items = bigger;
        _head = 0;
    }
}
