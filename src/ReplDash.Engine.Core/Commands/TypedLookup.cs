using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>The lookup every typed command starts with: lazy expiry, then the type check.</summary>
internal static class TypedLookup
{
    /// <summary>
    /// Finds <paramref name="key"/> (null when absent). Returns false, having written the WRONGTYPE
    /// reply, when the key holds another type.
    /// </summary>
    public static bool TryGet(CommandContext context, byte[] key, ValueType type, out KeyEntry? entry)
    {
        entry = context.Keyspace.Lookup(context, key);
        if (entry is not null && entry.Type != type)
        {
            RespWriter.Error(context.Reply, CommandErrors.WrongType);
            entry = null;
            return false;
        }
        return true;
    }
}
