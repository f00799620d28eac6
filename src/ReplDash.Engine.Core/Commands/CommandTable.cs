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
    private const CommandFlags WriteBlocking = CommandFlags.Write | CommandFlags.Blocking;

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
            // Strings, bitmaps and keys added for Redis compatibility (issue 14)
            new("setex", 4, W, 1, 1, 1, StringExpiryCommands.SetEx),
            new("psetex", 4, W, 1, 1, 1, StringExpiryCommands.PSetEx),
            new("getex", -2, W, 1, 1, 1, StringExpiryCommands.GetEx),
            new("getdel", 2, W, 1, 1, 1, StringExpiryCommands.GetDel),
            new("setrange", 4, W, 1, 1, 1, StringRangeCommands.SetRange),
            new("getrange", 4, R, 1, 1, 1, StringRangeCommands.GetRange),
            new("substr", 4, R, 1, 1, 1, StringRangeCommands.GetRange),
            new("incrbyfloat", 3, W, 1, 1, 1, StringNumberCommands.IncrByFloat),
            new("msetnx", -3, W, 1, -1, 2, StringNumberCommands.MSetNx),
            new("lcs", -3, R, 1, 2, 1, LcsCommand.Lcs),
            new("setbit", 4, W, 1, 1, 1, BitCommands.SetBit),
            new("getbit", 3, R, 1, 1, 1, BitCommands.GetBit),
            new("bitcount", -2, R, 1, 1, 1, BitCommands.BitCount),
            new("bitpos", -3, R, 1, 1, 1, BitCommands.BitPos),
            new("bitop", -4, W, 2, -1, 1, BitCommands.BitOp),
            new("rename", 3, W, 1, 2, 1, KeyMoveCommands.Rename),
            new("renamenx", 3, W, 1, 2, 1, KeyMoveCommands.RenameNx),
            new("copy", -3, W, 1, 2, 1, KeyMoveCommands.Copy),
            new("expiretime", 2, R, 1, 1, 1, KeyInfoCommands.ExpireTime),
            new("pexpiretime", 2, R, 1, 1, 1, KeyInfoCommands.PExpireTime),
            new("randomkey", 1, ReadAll, 0, 0, 0, KeyInfoCommands.RandomKey),
            new("touch", -2, R, 1, -1, 1, KeyInfoCommands.Touch),
            new("unlink", -2, W, 1, -1, 1, KeyCommands.Del),
            new("object", -2, R, 2, 2, 1, KeyInfoCommands.Object),
            new("memory", -2, R, 2, 2, 1, KeyInfoCommands.Memory),
            // Hashes, lists and sets beyond the basics (issue 14)
            new("hmset", -4, W, 1, 1, 1, HashFieldCommands.HMSet),
            new("hmget", -3, R, 1, 1, 1, HashFieldCommands.HMGet),
            new("hincrby", 4, W, 1, 1, 1, HashFieldCommands.HIncrBy),
            new("hincrbyfloat", 4, W, 1, 1, 1, HashFieldCommands.HIncrByFloat),
            new("hexists", 3, R, 1, 1, 1, HashFieldCommands.HExists),
            new("hkeys", 2, R, 1, 1, 1, HashFieldCommands.HKeys),
            new("hvals", 2, R, 1, 1, 1, HashFieldCommands.HVals),
            new("hsetnx", 4, W, 1, 1, 1, HashFieldCommands.HSetNx),
            new("hstrlen", 3, R, 1, 1, 1, HashFieldCommands.HStrLen),
            new("hrandfield", -2, R, 1, 1, 1, HashRandomCommands.HRandField),
            new("hscan", -3, R, 1, 1, 1, HashRandomCommands.HScan),
            new("lindex", 3, R, 1, 1, 1, ListEditCommands.LIndex),
            new("lset", 4, W, 1, 1, 1, ListEditCommands.LSet),
            new("linsert", 5, W, 1, 1, 1, ListEditCommands.LInsert),
            new("lrem", 4, W, 1, 1, 1, ListEditCommands.LRem),
            new("ltrim", 4, W, 1, 1, 1, ListEditCommands.LTrim),
            new("lpos", -3, R, 1, 1, 1, ListEditCommands.LPos),
            new("lpushx", -3, W, 1, 1, 1, ListEditCommands.LPushX),
            new("rpushx", -3, W, 1, 1, 1, ListEditCommands.RPushX),
            new("rpoplpush", 3, W, 1, 2, 1, ListMoveCommands.RPopLPush),
            new("lmove", 5, W, 1, 2, 1, ListMoveCommands.LMove),
            new("lmpop", -4, W, 0, 0, 0, ListMoveCommands.LMPop) { MovableKeys = MovableKeys.AfterNumKeys(1) },
            new("blpop", -3, WriteBlocking, 1, -2, 1, BlockingListCommands.BLPop),
            new("brpop", -3, WriteBlocking, 1, -2, 1, BlockingListCommands.BRPop),
            new("blmove", 6, WriteBlocking, 1, 2, 1, BlockingListCommands.BLMove),
            new("brpoplpush", 4, WriteBlocking, 1, 2, 1, BlockingListCommands.BRPopLPush),
            new("blmpop", -5, WriteBlocking, 0, 0, 0, BlockingListCommands.BLMPop) { MovableKeys = MovableKeys.AfterNumKeys(2) },
            new("sismember", 3, R, 1, 1, 1, SetMemberCommands.SIsMember),
            new("smismember", -3, R, 1, 1, 1, SetMemberCommands.SMIsMember),
            new("srandmember", -2, R, 1, 1, 1, SetMemberCommands.SRandMember),
            new("smove", 4, W, 1, 2, 1, SetMemberCommands.SMove),
            new("sscan", -3, R, 1, 1, 1, SetMemberCommands.SScan),
            new("sinter", -2, R, 1, -1, 1, SetAlgebraCommands.SInter),
            new("sintercard", -3, R, 0, 0, 0, SetAlgebraCommands.SInterCard) { MovableKeys = MovableKeys.AfterNumKeys(1) },
            new("sunion", -2, R, 1, -1, 1, SetAlgebraCommands.SUnion),
            new("sdiff", -2, R, 1, -1, 1, SetAlgebraCommands.SDiff),
            new("sinterstore", -3, W, 1, -1, 1, SetAlgebraCommands.SInterStore),
            new("sunionstore", -3, W, 1, -1, 1, SetAlgebraCommands.SUnionStore),
            new("sdiffstore", -3, W, 1, -1, 1, SetAlgebraCommands.SDiffStore),
            // Sorted sets (multi-key commands list every argument after the first key as a key: the committed-image
            // reads and the pending-write dependencies then cover all their inputs; extra option words cost nothing)
            new("zadd", -4, W, 1, 1, 1, ZSetAddCommands.ZAdd),
            new("zincrby", 4, W, 1, 1, 1, ZSetAddCommands.ZIncrBy),
            new("zrem", -3, W, 1, 1, 1, ZSetRemoveCommands.ZRem),
            new("zremrangebyrank", 4, W, 1, 1, 1, ZSetRemoveCommands.ZRemRangeByRank),
            new("zremrangebyscore", 4, W, 1, 1, 1, ZSetRemoveCommands.ZRemRangeByScore),
            new("zremrangebylex", 4, W, 1, 1, 1, ZSetRemoveCommands.ZRemRangeByLex),
            new("zpopmin", -2, W, 1, 1, 1, ZSetPopCommands.ZPopMin),
            new("zpopmax", -2, W, 1, 1, 1, ZSetPopCommands.ZPopMax),
            new("bzpopmin", -3, WriteBlocking, 1, -2, 1, ZSetPopCommands.BZPopMin),
            new("bzpopmax", -3, WriteBlocking, 1, -2, 1, ZSetPopCommands.BZPopMax),
            new("zmpop", -4, W, 2, -1, 1, ZSetPopCommands.ZMPop),
            new("bzmpop", -5, WriteBlocking, 0, 0, 0, ZSetPopCommands.BZMPop) { MovableKeys = MovableKeys.AfterNumKeys(2) },
            new("zcard", 2, R, 1, 1, 1, ZSetReadCommands.ZCard),
            new("zscore", 3, R, 1, 1, 1, ZSetReadCommands.ZScore),
            new("zmscore", -3, R, 1, 1, 1, ZSetReadCommands.ZMScore),
            new("zrank", 3, R, 1, 1, 1, ZSetReadCommands.ZRank),
            new("zrevrank", 3, R, 1, 1, 1, ZSetReadCommands.ZRevRank),
            new("zcount", 4, R, 1, 1, 1, ZSetReadCommands.ZCount),
            new("zlexcount", 4, R, 1, 1, 1, ZSetReadCommands.ZLexCount),
            new("zrange", -4, R, 1, 1, 1, ZSetRangeCommands.ZRange),
            new("zrangestore", -5, W, 1, 2, 1, ZSetRangeCommands.ZRangeStore),
            new("zrevrange", -4, R, 1, 1, 1, ZSetRangeCommands.ZRevRange),
            new("zrangebyscore", -4, R, 1, 1, 1, ZSetRangeCommands.ZRangeByScore),
            new("zrevrangebyscore", -4, R, 1, 1, 1, ZSetRangeCommands.ZRevRangeByScore),
            new("zrangebylex", -4, R, 1, 1, 1, ZSetRangeCommands.ZRangeByLex),
            new("zrevrangebylex", -4, R, 1, 1, 1, ZSetRangeCommands.ZRevRangeByLex),
            new("zrandmember", -2, R, 1, 1, 1, ZSetRandomCommands.ZRandMember),
            new("zscan", -3, R, 1, 1, 1, ZSetRandomCommands.ZScan),
            new("zunionstore", -4, W, 1, -1, 1, ZSetAlgebraCommands.ZUnionStore),
            new("zinterstore", -4, W, 1, -1, 1, ZSetAlgebraCommands.ZInterStore),
            new("zdiffstore", -4, W, 1, -1, 1, ZSetAlgebraCommands.ZDiffStore),
            new("zunion", -3, R, 2, -1, 1, ZSetAlgebraCommands.ZUnion),
            new("zinter", -3, R, 2, -1, 1, ZSetAlgebraCommands.ZInter),
            new("zdiff", -3, R, 2, -1, 1, ZSetAlgebraCommands.ZDiff),
            new("zintercard", -3, R, 2, -1, 1, ZSetAlgebraCommands.ZInterCard),
            // SORT (SortCommands.cs). BY and GET read keys named by patterns, so both wait for every pending write
            // (AllKeys); the key indexes (the key sorted, STORE's destination) are what COMMAND reports.
            new("sort", -2, WriteAll, 1, 1, 1, SortCommands.Sort) { MovableKeys = SortOptions.KeyIndexes },
            new("sort_ro", -2, ReadAll, 1, 1, 1, SortCommands.SortRo) { MovableKeys = SortOptions.ReadOnlyKeyIndexes },
            // DUMP and RESTORE (DumpRestoreCommands.cs), in Redis's payload format
            new("dump", 2, R, 1, 1, 1, DumpRestoreCommands.Dump),
            new("restore", -4, W, 1, 1, 1, DumpRestoreCommands.Restore),
        ];
        var byName = new Dictionary<string, CommandSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
            byName.Add(spec.Name, spec);
        return byName;
    }
}
