using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Node;

/// <summary>
/// One client blocked by BLPOP and the like: what it waits for, and the outcome its session awaits. Completed once,
/// under the node lock, by being served, or failed when the node stops.
/// </summary>
public sealed class BlockedClient
{
    private readonly TaskCompletionSource<BlockedOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal BlockedClient(BlockingRequest request, BinlogPosition registeredAfter)
    {
        Request = request;
        RegisteredAfter = registeredAfter;
    }

    /// <summary>What it waits for.</summary>
    public BlockingRequest Request { get; }

    /// <summary>What the command wrote before blocking (an expired key's DEL), which any reply depends on.</summary>
    public BinlogPosition RegisteredAfter { get; }

    /// <summary>Completes when served; fails when the node stops.</summary>
    public Task<BlockedOutcome> Outcome => _outcome.Task;

    // Where it sits in each key's queue, to leave them all in O(keys).
    internal List<(byte[] Key, LinkedList<BlockedClient> Queue, LinkedListNode<BlockedClient> Node)> Places { get; } = new();

    internal void Serve(byte[]? reply, BinlogPosition position) => _outcome.TrySetResult(new BlockedOutcome(reply, position));

    internal void Fail(Exception failure) => _outcome.TrySetException(failure);
}

/// <summary>How a blocked client ended: its reply (null: timed out, unblocked as a timeout, or gone) and the position the reply waits for.</summary>
public readonly record struct BlockedOutcome(byte[]? Reply, BinlogPosition Position);

/// <summary>
/// The clients blocked on each key, in arrival order (Redis serves the longest-waiting first). Not thread-safe: the
/// node's lock guards it.
/// </summary>
internal sealed class BlockedClients
{
    private readonly Dictionary<byte[], LinkedList<BlockedClient>> _byKey = new(ByteArrayComparer.Instance);
    private readonly HashSet<BlockedClient> _all = new();

    /// <summary>Clients blocked now.</summary>
    public int Count => _all.Count;

    /// <summary>Registers a client at the end of the queue of each key it waits for.</summary>
    public void Add(BlockedClient client)
    {
        foreach (var key in client.Request.Keys)
        {
            if (!_byKey.TryGetValue(key, out var queue))
                _byKey[key] = queue = new LinkedList<BlockedClient>();
            client.Places.Add((key, queue, queue.AddLast(client)));
        }
        _all.Add(client);
    }

    /// <summary>Takes a client out of every queue; false when it was not blocked any more (served or removed).</summary>
    public bool Remove(BlockedClient client)
    {
        if (!_all.Remove(client))
            return false;
        foreach (var (key, queue, node) in client.Places)
        {
            queue.Remove(node);
            if (queue.Count == 0)
                _byKey.Remove(key);
        }
        client.Places.Clear();
        return true;
    }

    /// <summary>True when someone waits for <paramref name="key"/>.</summary>
    public bool IsWaitedFor(byte[] key) => _byKey.ContainsKey(key);

    /// <summary>The longest-waiting client on <paramref name="key"/>, or null.</summary>
    public BlockedClient? First(byte[] key) => _byKey.TryGetValue(key, out var queue) ? queue.First?.Value : null;

    /// <summary>Takes every client out (the node stops) and returns them.</summary>
    public List<BlockedClient> RemoveAll()
    {
        var all = _all.ToList();
        _all.Clear();
        _byKey.Clear();
        foreach (var client in all)
            client.Places.Clear();
        return all;
    }
}
