using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Node;

/// <summary>
/// Blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP), in every database. A client
/// that finds nothing is registered here under its database and keys; after any logged write that touched a key
/// someone waits for in that database (or a SWAPDB that brought one in), the waiting clients are served in arrival
/// order, each serve run like a command of its own: its effects (LPOP, LMOVE, ZREM... of what was served) become one
/// binlog item, and the client's reply waits for that item like any write reply (committed and, under semi-sync,
/// acknowledged).
/// </summary>
public sealed partial class DataNode
{
    private readonly BlockedClients _blocked = new();
    // Keys a write touched that blocked clients wait for, in the order they were touched (Redis serves in that order).
    private readonly Queue<(int Database, byte[] Key)> _readyKeys = new();
    private readonly HashSet<(int Database, byte[] Key)> _readySet = new(DatabaseKeyComparer.Instance);
    private bool _servingBlocked;

    /// <summary>Clients blocked now (INFO's blocked_clients).</summary>
    public int BlockedClientCount
    {
        get
        {
            lock (_gate)
                return _blocked.Count;
        }
    }

    /// <summary>
    /// Runs a blocking command. Either it answered (into <paramref name="reply"/>, to be sent once the returned position
    /// is committed), or it found nothing and the client is now blocked: then nothing was written and the returned
    /// <see cref="BlockedClient"/> is to be awaited with <see cref="WaitBlockedAsync"/>. A slave refuses it as a write.
    /// </summary>
    /// <param name="onBlocked">Called under the node lock as the client is registered, before anyone can see it blocked
    /// (INFO's blocked_clients), so that whatever it sets up (CLIENT UNBLOCK's handle) is there as soon as it is counted.</param>
    /// <param name="database">The client's selected database: it waits for its keys there.</param>
    public (BinlogPosition Position, BlockedClient? Blocked) ExecuteBlocking(CommandSpec spec, byte[][] args, IBufferWriter<byte> reply,
        Action<BlockedClient>? onBlocked = null, int database = 0)
    {
        lock (_gate)
        {
            EnsureRunning();
            _context.Database = database;
            if (Role == NodeRole.Slave)
                return (RunOnReplica(spec, args, reply), null);
            EnsureWritable(spec);
            if (RefuseWriteWhileAwaitingSlaves([spec], reply))
                return (BinlogPosition.Zero, null);
            BinlogPosition position;
            _context.BlockingAllowed = true;
            try
            {
                position = RunAndLog([(spec, args)], reply);
            }
            finally
            {
                _context.BlockingAllowed = false;
            }
            if (_context.Block is not { } request)
                return (position, null);
            _context.Block = null;
            var client = new BlockedClient(request, database, Core.Resp.RespWriter.ProtocolOf(reply), position);
            onBlocked?.Invoke(client);
            _blocked.Add(client);
            return (position, client);
        }
    }

    /// <summary>
    /// Waits until <paramref name="client"/> is served, its timeout passes (on the node's clock) or
    /// <paramref name="gone"/> fires (the connection closed). A client that was not served is unblocked with a null
    /// reply; one served meanwhile gets its reply. Throws <see cref="NodeUnavailableException"/> when the node stops.
    /// </summary>
    public async Task<BlockedOutcome> WaitBlockedAsync(BlockedClient client, CancellationToken gone)
    {
        var now = _time.GetUtcNow();
        long timeoutMs = client.Request.TimeoutMs;
        var deadline = timeoutMs == 0 || timeoutMs >= (DateTimeOffset.MaxValue - now).TotalMilliseconds
            ? DateTimeOffset.MaxValue
            : now.AddMilliseconds(timeoutMs);
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(gone, _stopping.Token))
        {
            while (!client.Outcome.IsCompleted && !cancel.IsCancellationRequested)
            {
                var left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                    break;
                // At most one timer slice at a time: a .NET timer refuses waits beyond about 49.7 days.
                var wait = deadline == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : TimerSlices.Clamp(left);
                try
                {
                    await client.Outcome.WaitAsync(wait, _time, cancel.Token);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException)
                {
                    // The loop checks the deadline and the cancellation again.
                }
            }
        }
        lock (_gate)
        {
            // Under the lock a serve cannot be half done: either the client is still registered, or it was served.
            if (_blocked.Remove(client))
                return new BlockedOutcome(null, client.RegisteredAfter);
        }
        return await client.Outcome;
    }

    private static readonly byte[] UnblockedError = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"u8.ToArray();

    /// <summary>
    /// CLIENT UNBLOCK: ends a client's block as a timeout would (a null reply), or with Redis's UNBLOCKED error when
    /// <paramref name="withError"/>. False when it was not blocked any more.
    /// </summary>
    public bool Unblock(BlockedClient client, bool withError)
    {
        lock (_gate)
        {
            if (!_blocked.Remove(client))
                return false;
            client.Serve(withError ? UnblockedError : null, client.RegisteredAfter);
            return true;
        }
    }

    /// <summary>
    /// Under the node lock, as a logged effect is appended: remembers the keys it may have filled that someone waits for,
    /// in the database they are in. <paramref name="database"/> is the effect's database (after the item's SELECTs);
    /// returns the database of the effects after it. As in Redis, MOVE and COPY ... DB fill a key in their target
    /// database, and SWAPDB makes every waited key of both databases worth a look.
    /// </summary>
    private int NoteReadyKeys(int database, byte[][] effect, byte[][] keys)
    {
        var name = effect[0];
        if (IsName(name, "SELECT"u8) && effect.Length == 2 && IntegerText.TryParse(effect[1], out long selected))
            return (int)selected;
        foreach (var key in keys)
            NoteReadyKey(database, key);
        if (IsName(name, "MOVE"u8) && effect.Length == 3 && IntegerText.TryParse(effect[2], out long target))
            NoteReadyKey((int)target, effect[1]);
        else if (IsName(name, "COPY"u8))
        {
            for (int i = 3; i + 1 < effect.Length; i++)
                if (IsName(effect[i], "DB"u8) && IntegerText.TryParse(effect[i + 1], out long copyTarget))
                    NoteReadyKey((int)copyTarget, effect[2]);
        }
        else if (IsName(name, "SWAPDB"u8) && effect.Length == 3
                 && IntegerText.TryParse(effect[1], out long first) && IntegerText.TryParse(effect[2], out long second))
        {
            foreach (var key in _blocked.KeysIn((int)first))
                NoteReadyKey((int)first, key);
            foreach (var key in _blocked.KeysIn((int)second))
                NoteReadyKey((int)second, key);
        }
        return database;
    }

    private static bool IsName(byte[] argument, ReadOnlySpan<byte> name) => System.Text.Ascii.EqualsIgnoreCase(argument, name);

    private void NoteReadyKey(int database, byte[] key)
    {
        if (_blocked.IsWaitedFor(database, key) && _readySet.Add((database, key)))
            _readyKeys.Enqueue((database, key));
    }

    /// <summary>
    /// Under the node lock, after a logged write: serves the clients blocked on the keys it filled, longest-waiting
    /// first, while the key exists. A client waiting for another type (BZPOPMIN on a key that is now a list) is passed
    /// over and keeps waiting. A serve may fill more keys (BLMOVE's destination); those are served too. The command
    /// context is left as the write left it (its database, its reply).
    /// </summary>
    private void ServeBlockedClients()
    {
        _servingBlocked = true;
        int database = _context.Database;
        var reply = _context.Reply;
        try
        {
            while (_readyKeys.TryDequeue(out var ready))
            {
                _readySet.Remove(ready);
                foreach (var client in _blocked.On(ready.Database, ready.Key))
                {
                    if (!_keyspace[ready.Database].ContainsKey(ready.Key))
                        break; // drained (or expired): the others keep waiting
                    if (_blocked.Contains(client))
                        ServeOne(client, ready.Key);
                }
            }
        }
        finally
        {
            _servingBlocked = false;
            _context.Database = database;
            _context.Reply = reply;
        }
    }

    private bool ServeOne(BlockedClient client, byte[] key)
    {
        var destination = client.Request.Destination;
        _context.Database = client.Database;
        _stagedImages.Clear();
        // Images and pending writes are per database: those of the database the serve runs in.
        if (_semiSyncOn)
        {
            StageCommittedImage(_context.Database, key);
            if (destination is not null)
                StageCommittedImage(_context.Database, destination);
        }
        // What the reply shows may rest on writes still pending (the push that made the key ready, the destination's type).
        var dependency = BinlogPosition.Max(BinlogPosition.Max(_pending.Committed, client.RegisteredAfter), _pending.DependencyOf(_context.Database, key));
        if (destination is not null)
            dependency = BinlogPosition.Max(dependency, _pending.DependencyOf(_context.Database, destination));
        var reply = new Core.Resp.RespReplyBuffer(client.Protocol);
        _context.Reply = reply;
        _context.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        bool served;
        BinlogPosition written;
        try
        {
            served = client.Request.Serve(_context, key);
        }
        finally
        {
            written = AppendEffects();
        }
        if (!served)
            return false;
        _blocked.Remove(client);
        _commandsProcessed++;
        client.Serve(reply.WrittenSpan.ToArray(), BinlogPosition.Max(dependency, written));
        return true;
    }

    /// <summary>Under the node lock, as the node stops or fails: every blocked client gets the error.</summary>
    private void FailBlockedClients(Exception failure)
    {
        foreach (var client in _blocked.RemoveAll())
            client.Fail(failure);
        _readyKeys.Clear();
        _readySet.Clear();
    }
}
