using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// MEMORY USAGE's estimate of what one key costs this engine on the .NET heap: the key and value arrays with their
/// object headers, the key's entry and its slots in the keyspace's dictionary, expiry index and SCAN table, and per
/// element of a collection its array and its share of the collection's table. An estimate from the layout, not a
/// measurement (the runtime offers none per object).
/// </summary>
internal static class MemoryEstimate
{
    private const long ArrayOverhead = 24;      // object header, method table pointer, length
    private const long KeyEntryBytes = 72;      // the KeyEntry object with its fields
    private const long DictionarySlot = 24;     // a dictionary entry (hash, next, key, value) plus its bucket
    private const long PerKeyIndexes = 8 + 24;  // the SCAN slot and the consistency bucket's list entry
    private const long ExpiryEntry = 48;        // a node in the expiry index

    /// <summary>Bytes held for <paramref name="entry"/>.</summary>
    public static long Bytes(KeyEntry entry)
    {
        long total = KeyEntryBytes + DictionarySlot + PerKeyIndexes + ArrayBytes(entry.Key.Length);
        if (entry.ExpireAtMs != 0)
            total += ExpiryEntry;
        switch (entry.Type)
        {
            case ValueType.String:
                total += ArrayBytes(entry.StringValue.Length);
                break;
            case ValueType.Hash:
                total += 80; // the dictionary object
                foreach (var (field, value) in entry.HashValue)
                    total += DictionarySlot + ArrayBytes(field.Length) + ArrayBytes(value.Length);
                break;
            case ValueType.List:
                total += 64; // the deque and its ring array header
                foreach (var element in entry.ListValue.Items())
                    total += 8 + ArrayBytes(element.Length);
                break;
            case ValueType.Set:
                var set = entry.SetValue;
                total += 120; // the set, its index dictionary and member list
                for (int i = 0; i < set.Count; i++)
                    total += DictionarySlot + 8 + ArrayBytes(set.MemberAt(i).Length);
                break;
        }
        return total;
    }

    private static long ArrayBytes(int length) => (ArrayOverhead + length + 7) / 8 * 8;
}
