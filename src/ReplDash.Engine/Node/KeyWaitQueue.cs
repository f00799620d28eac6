using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Node;

/// <summary>A client waiting in a blocking command (BZPOPMIN...) until a write makes one of its keys ready.</summary>
internal sealed class KeyWaiter(CommandSpec spec, byte[][] args, KeyWaitRule rule, BinlogPosition dependency)
{
    /// <summary>The command, run again (its non-blocking form) when a key it waits on becomes ready.</summary>
    public CommandSpec Spec { get; } = spec;

    /// <summary>The command's arguments.</summary>
    public byte[][] Args { get; } = args;

    /// <summary>What the command waits for.</summary>
    public KeyWaitRule Rule { get; } = rule;

    /// <summary>The keys waited on, each once.</summary>
    public IReadOnlyList<byte[]> Keys { get; } = rule.Keys(args).Distinct(ByteArrayComparer.Instance).ToArray();

    /// <summary>What the first, unserved attempt logged (a lazy expiry's DEL): the timeout reply waits for it.</summary>
    public BinlogPosition Dependency { get; } = dependency;

    /// <summary>Completed, under the node lock, with the reply and the position it depends on.</summary>
    public TaskCompletionSource<KeyWaitResult> Served { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Served or given up (timeout, disconnect): no longer in any queue.</summary>
    public bool Finished { get; set; }
}

/// <summary>A served waiter's reply and the binlog position the reply must wait for.</summary>
internal readonly record struct KeyWaitResult(byte[] Reply, BinlogPosition Position);

/// <summary>
/// The clients waiting on keys: per key, a queue in arrival order, so the client that blocked first is served
/// first. Used under the node lock only.
/// </summary>
internal sealed class KeyWaitQueue
{
    private readonly Dictionary<byte[], LinkedList<KeyWaiter>> _byKey = new(ByteArrayComparer.Instance);

    /// <summary>Number of waiting clients.</summary>
    public int Count { get; private set; }

    /// <summary>The keys with at least one waiter (a copy: serving changes the queues).</summary>
    public byte[][] Keys() => _byKey.Keys.ToArray();

    /// <summary>Queues a waiter behind those already waiting on its keys.</summary>
    public void Add(KeyWaiter waiter)
    {
        foreach (var key in waiter.Keys)
        {
            if (!_byKey.TryGetValue(key, out var queue))
                _byKey[key] = queue = new LinkedList<KeyWaiter>();
            queue.AddLast(waiter);
        }
        Count++;
    }

    /// <summary>Takes a waiter out of every queue and marks it finished.</summary>
    public void Remove(KeyWaiter waiter)
    {
        if (waiter.Finished)
            return;
        waiter.Finished = true;
        foreach (var key in waiter.Keys)
        {
            if (!_byKey.TryGetValue(key, out var queue))
                continue;
            queue.Remove(waiter);
            if (queue.Count == 0)
                _byKey.Remove(key);
        }
        Count--;
    }

    /// <summary>The longest-waiting client on <paramref name="key"/> that a value of <paramref name="type"/> can serve.</summary>
    public KeyWaiter? FirstFor(byte[] key, ValueType type)
    {
        if (!_byKey.TryGetValue(key, out var queue))
            return null;
        foreach (var waiter in queue)
            if (waiter.Rule.WaitsFor == type)
                return waiter;
        return null;
    }

    /// <summary>Every waiter, each once (to fail them all when the node stops serving).</summary>
    public KeyWaiter[] All() => _byKey.Values.SelectMany(q => q).Distinct().ToArray();
}
