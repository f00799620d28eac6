namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Every data command the keyspace serves, with Redis's arity, flags and key positions. Lookup is by
/// name, ASCII case-insensitive, without allocating.
/// </summary>
public static class CommandTable
{
    // Longer names cannot be ours; the bound also keeps the stackalloc small.
    private const int MaxNameLength = 32;

    private const CommandFlags W = CommandFlags.Write;
    private const CommandFlags R = CommandFlags.ReadOnly;
    private const CommandFlags ReadAll = CommandFlags.ReadOnly | CommandFlags.AllKeys;
    private const CommandFlags WriteAll = CommandFlags.Write | CommandFlags.AllKeys;

    private static readonly Dictionary<string, CommandSpec> ByName = Build();

    private static readonly Dictionary<string, CommandSpec>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>All commands (names in lowercase, as Redis's COMMAND reports them).</summary>
    public static IReadOnlyCollection<CommandSpec> All => ByName.Values;

    /// <summary>The command named <paramref name="name"/> in any ASCII case, or null when unknown.</summary>
    public static CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength)
            return null;
        Span<char> chars = stackalloc char[name.Length];
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] > 127)
                return null;
            chars[i] = (char)name[i];
        }
        return BySpan.TryGetValue(chars, out var spec) ? spec : null;
    }

    /// <summary>The command named <paramref name="name"/> in any case, or null when unknown.</summary>
    public static CommandSpec? Find(string name) => ByName.GetValueOrDefault(name);

    private static Dictionary<string, CommandSpec> Build()
    {
        CommandSpec[] specs =
        [
            // Strings
            new("get", 2, R, 1, 1, 1, StringCommands.Get),
            new("set", -3, W, 1, 1, 1, StringCommands.Set),
            new("setnx", 3, W, 1, 1, 1, StringCommands.SetNx),
            new("getset", 3, W, 1, 1, 1, StringCommands.GetSet),
            new("mget", -2, R, 1, -1, 1, StringCommands.MGet),
            new("mset", -3, W, 1, -1, 2, StringCommands.MSet),
            new("incr", 2, W, 1, 1, 1, StringCommands.Incr),
            new("incrby", 3, W, 1, 1, 1, StringCommands.IncrBy),
            new("decr", 2, W, 1, 1, 1, StringCommands.Decr),
            new("decrby", 3, W, 1, 1, 1, StringCommands.DecrBy),
            new("append", 3, W, 1, 1, 1, StringCommands.Append),
            new("strlen", 2, R, 1, 1, 1, StringCommands.StrLen),
            // Hashes
            new("hset", -4, W, 1, 1, 1, HashCommands.HSet),
            new("hget", 3, R, 1, 1, 1, HashCommands.HGet),
            new("hdel", -3, W, 1, 1, 1, HashCommands.HDel),
            new("hgetall", 2, R, 1, 1, 1, HashCommands.HGetAll),
            new("hlen", 2, R, 1, 1, 1, HashCommands.HLen),
            // Lists
            new("lpush", -3, W, 1, 1, 1, ListCommands.LPush),
            new("rpush", -3, W, 1, 1, 1, ListCommands.RPush),
            new("lpop", -2, W, 1, 1, 1, ListCommands.LPop),
            new("rpop", -2, W, 1, 1, 1, ListCommands.RPop),
            new("lrange", 4, R, 1, 1, 1, ListCommands.LRange),
            new("llen", 2, R, 1, 1, 1, ListCommands.LLen),
            // Sets
            new("sadd", -3, W, 1, 1, 1, SetCommands.SAdd),
            new("srem", -3, W, 1, 1, 1, SetCommands.SRem),
            new("smembers", 2, R, 1, 1, 1, SetCommands.SMembers),
            new("scard", 2, R, 1, 1, 1, SetCommands.SCard),
            new("spop", -2, W, 1, 1, 1, SetCommands.SPop),
            // Expiry
            new("expire", -3, W, 1, 1, 1, ExpiryCommands.Expire),
            new("pexpire", -3, W, 1, 1, 1, ExpiryCommands.PExpire),
            new("expireat", -3, W, 1, 1, 1, ExpiryCommands.ExpireAt),
            new("pexpireat", -3, W, 1, 1, 1, ExpiryCommands.PExpireAt),
            new("ttl", 2, R, 1, 1, 1, ExpiryCommands.Ttl),
            new("pttl", 2, R, 1, 1, 1, ExpiryCommands.PTtl),
            new("persist", 2, W, 1, 1, 1, ExpiryCommands.Persist),
            // Keys
            new("del", -2, W, 1, -1, 1, KeyCommands.Del),
            new("exists", -2, R, 1, -1, 1, KeyCommands.Exists),
            new("type", 2, R, 1, 1, 1, KeyCommands.Type),
            new("keys", 2, ReadAll, 0, 0, 0, KeyCommands.Keys),
            new("scan", -2, ReadAll, 0, 0, 0, KeyCommands.Scan),
            new("dbsize", 1, ReadAll, 0, 0, 0, KeyCommands.DbSize),
            new("flushall", -1, WriteAll, 0, 0, 0, KeyCommands.FlushAll),
            // Databases (DatabaseCommands.cs)
            // SELECT reads no data and changes none; it only switches the client's database.
            new("select", 2, R, 0, 0, 0, DatabaseCommands.Select),
            new("flushdb", -1, WriteAll, 0, 0, 0, DatabaseCommands.FlushDb),
            new("swapdb", 3, WriteAll, 0, 0, 0, DatabaseCommands.SwapDb),
            new("move", 3, W, 1, 1, 1, DatabaseCommands.Move),
        ];
        var byName = new Dictionary<string, CommandSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
            byName.Add(spec.Name, spec);
        return byName;
    }
}
