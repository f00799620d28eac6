namespace ReplDash.Engine.Core.Keyspace;

/// <summary>
/// The value of a set key. Members sit in a dense list indexed by a dictionary so that membership,
/// add and remove are O(1) and SPOP can pick a uniformly random member in O(1) (swap-remove).
/// </summary>
public sealed class MemberSet
{
    private readonly Dictionary<byte[], int> _indexOf = new(ByteArrayComparer.Instance);
    private readonly List<byte[]> _members = new();

    /// <summary>Number of members.</summary>
    public int Count => _members.Count;

    /// <summary>The member stored at a dense position (0 to Count-1); used for random picks.</summary>
    public byte[] MemberAt(int index) => _members[index];

    /// <summary>True when <paramref name="member"/> is in the set.</summary>
    public bool Contains(byte[] member) => _indexOf.ContainsKey(member);

    /// <summary>Adds a member; false when it was already there.</summary>
    public bool Add(byte[] member)
    {
        if (!_indexOf.TryAdd(member, _members.Count))
            return false;
        _members.Add(member);
        return true;
    }

    /// <summary>Removes a member; false when it was not there.</summary>
    public bool Remove(byte[] member)
    {
        if (!_indexOf.Remove(member, out int index))
            return false;
        int last = _members.Count - 1;
        if (index != last)
        {
            // Move the last member into the hole so the list stays dense.
            var moved = _members[last];
            _members[index] = moved;
            _indexOf[moved] = index;
        }
        _members.RemoveAt(last);
        return true;
    }

    /// <summary>The members, in no particular order.</summary>
    public IReadOnlyList<byte[]> Members => _members;
}
