using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Node;

/// <summary>
/// One client blocked by BLPOP, BZPOPMIN and the like: what it waits for, in which database, and the outcome its
/// session awaits. Completed once, under the node lock, by being served, or failed when the node stops.
/// </summary>
public sealed class BlockedClient
{
    private readonly TaskCompletionSource<BlockedOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal BlockedClient(BlockingRequest request, int database, int protocol, BinlogPosition registeredAfter)
    {
        Request = request;
        Database = database;
        Protocol = protocol;
        RegisteredAfter = registeredAfter;
    }

    /// <summary>What it waits for.</summary>
    public BlockingRequest Request { get; }

    /// <summary>The database its keys are in (the client's selected one when it blocked; SWAPDB does not move it).</summary>
    public int Database { get; }

    /// <summary>The RESP version of its connection (2 or 3): the served reply is written in it.</summary>
    public int Protocol { get; }

    /// <summary>What the command wrote before blocking (an expired key's DEL), which any reply depends on.</summary>
    public BinlogPosition RegisteredAfter { get; }

    /// <summary>Completes when served; fails when the node stops.</summary>
    public Task<BlockedOutcome> Outcome => _outcome.Task;

    // Where it sits in each key's queue, to leave them all in O(keys).
    internal List<(byte[] Key, Dictionary<byte[], LinkedList<BlockedClient>> Keys, LinkedListNode<BlockedClient> Node)> Places { get; } = new();

    internal void Serve(byte[]? reply, BinlogPosition position) => _outcome.TrySetResult(new BlockedOutcome(reply, position));

    internal void Fail(Exception failure) => _outcome.TrySetException(failure);
}

/// <summary>How a blocked client ended: its reply (null: timed out, unblocked as a timeout, or gone) and the position the reply waits for.</summary>
public readonly record struct BlockedOutcome(byte[]? Reply, BinlogPosition Position);

/// <summary>
/// The clients blocked on each key of each database, in arrival order (Redis serves the longest-waiting first). Not
/// thread-safe: the node's lock guards it.
/// </summary>
internal sealed class BlockedClients
{
    private readonly Dictionary<int, Dictionary<byte[], LinkedList<BlockedClient>>> _byDatabase = new();
    private readonly HashSet<BlockedClient> _all = new();

    /// <summary>Clients blocked now.</summary>
    public int Count => _all.Count;

    /// <summary>Registers a client at the end of the queue of each key it waits for, in its database.</summary>
    public void Add(BlockedClient client)
    {
        if (!_byDatabase.TryGetValue(client.Database, out var keys))
            _byDatabase[client.Database] = keys = new Dictionary<byte[], LinkedList<BlockedClient>>(ByteArrayComparer.Instance);
        foreach (var key in client.Request.Keys)
        {
            if (!keys.TryGetValue(key, out var queue))
                keys[key] = queue = new LinkedList<BlockedClient>();
            client.Places.Add((key, keys, queue.AddLast(client)));
        }
        _all.Add(client);
    }

    /// <summary>Takes a client out of every queue; false when it was not blocked any more (served or removed).</summary>
    public bool Remove(BlockedClient client)
    {
        if (!_all.Remove(client))
            return false;
        foreach (var (key, keys, node) in client.Places)
        {
            var queue = node.List!;
            queue.Remove(node);
            if (queue.Count == 0)
                keys.Remove(key);
        }
        client.Places.Clear();
        return true;
    }

    /// <summary>True when someone waits for <paramref name="key"/> in <paramref name="database"/>.</summary>
    public bool IsWaitedFor(int database, byte[] key) => _byDatabase.TryGetValue(database, out var keys) && keys.ContainsKey(key);

    /// <summary>The keys someone waits for in <paramref name="database"/> (a copy).</summary>
    public byte[][] KeysIn(int database) => _byDatabase.TryGetValue(database, out var keys) ? keys.Keys.ToArray() : [];

    /// <summary>The clients blocked on <paramref name="key"/> in <paramref name="database"/>, longest-waiting first (a copy).</summary>
    public BlockedClient[] On(int database, byte[] key) =>
        _byDatabase.TryGetValue(database, out var keys) && keys.TryGetValue(key, out var queue) ? queue.ToArray() : [];

    /// <summary>True while <paramref name="client"/> is blocked (not served nor removed).</summary>
    public bool Contains(BlockedClient client) => _all.Contains(client);

    /// <summary>Takes every client out (the node stops) and returns them.</summary>
    public List<BlockedClient> RemoveAll()
    {
        var all = _all.ToList();
        _all.Clear();
        _byDatabase.Clear();
        foreach (var client in all)
            client.Places.Clear();
        return all;
    }
}

/// <summary>Compares (database, key) pairs by database and key bytes.</summary>
internal sealed class DatabaseKeyComparer : IEqualityComparer<(int Database, byte[] Key)>
{
    /// <summary>The one instance.</summary>
    public static readonly DatabaseKeyComparer Instance = new();

    public bool Equals((int Database, byte[] Key) x, (int Database, byte[] Key) y) =>
        x.Database == y.Database && ByteArrayComparer.Instance.Equals(x.Key, y.Key);

    public int GetHashCode((int Database, byte[] Key) obj) => HashCode.Combine(obj.Database, ByteArrayComparer.Instance.GetHashCode(obj.Key));
}
