using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Node;

/// <summary>
/// Blocking commands (BZPOPMIN, BZPOPMAX; see <see cref="KeyWaitRules"/>). A client whose command finds nothing
/// waits in <see cref="KeyWaitQueue"/>; after every write on the master, still under the node lock and before
/// any other command, the waiters of keys that now hold the awaited type are served in arrival order by
/// running their command's non-blocking form. What a served command changes is logged as its own binlog item,
/// and its reply, like any write's, is sent only once the semi-sync rule releases that item.
/// </summary>
public sealed partial class DataNode
{
    // The longest single timer: longer timeouts are waited out in pieces of this size.
    private static readonly TimeSpan MaxTimerSlice = TimeSpan.FromDays(30);

    private static ReadOnlySpan<byte> NothingServed => "*-1\r\n"u8;

    private readonly KeyWaitQueue _keyWaits = new();

    /// <summary>Clients waiting in blocking commands (for INFO's blocked_clients).</summary>
    public int BlockedClients
    {
        get
        {
            lock (_gate)
                return _keyWaits.Count;
        }
    }

    /// <summary>
    /// Runs a blocking command: at once when something is there, otherwise once a write makes one of its keys
    /// ready, or a null array after <paramref name="timeout"/> (null: no limit). Returns the position the reply
    /// depends on, as <see cref="Execute"/> does. A slave refuses it as a write.
    /// </summary>
    /// <exception cref="OperationCanceledException">The client went away while waiting.</exception>
    public async Task<BinlogPosition> ExecuteWaitingAsync(CommandSpec spec, byte[][] args, KeyWaitRule rule, TimeSpan? timeout,
        IBufferWriter<byte> reply, CancellationToken cancel, int database = 0)
    {
        KeyWaiter waiter;
        lock (_gate)
        {
            EnsureRunning();
            _context.Database = database;
            try
            {
                if (Role == NodeRole.Slave)
                    return RunOnReplica(spec, args, reply);
                EnsureWritable(spec);
                if (RefuseWriteWhileAwaitingSlaves([spec], reply))
                    return BinlogPosition.Zero;
                var attempt = new ArrayBufferWriter<byte>();
                var position = RunAndLog([(spec, args)], attempt);
                // Outside database 0 nothing blocks (as inside MULTI): the empty answer is the answer.
                if (!attempt.WrittenSpan.SequenceEqual(NothingServed) || database != 0)
                {
                    reply.Write(attempt.WrittenSpan);
                    return position;
                }
                waiter = new KeyWaiter(spec, args, rule, position);
                _keyWaits.Add(waiter);
            }
            finally
            {
                _context.Database = 0;
            }
        }
        KeyWaitResult result;
        try
        {
            result = await WaitServedAsync(waiter, timeout, cancel);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                if (!waiter.Finished)
                {
                    _keyWaits.Remove(waiter);
                    RespWriter.NullArray(reply);
                    return waiter.Dependency;
                }
            }
            result = await waiter.Served.Task; // served just as the time ran out
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
                _keyWaits.Remove(waiter);
            throw;
        }
        reply.Write(result.Reply);
        return result.Position;
    }

    private async Task<KeyWaitResult> WaitServedAsync(KeyWaiter waiter, TimeSpan? timeout, CancellationToken cancel)
    {
        if (timeout is null)
            return await waiter.Served.Task.WaitAsync(cancel);
        var remaining = timeout.Value;
        while (remaining > MaxTimerSlice)
        {
            try
            {
                return await waiter.Served.Task.WaitAsync(MaxTimerSlice, _time, cancel);
            }
            catch (TimeoutException)
            {
                remaining -= MaxTimerSlice;
            }
        }
        return await waiter.Served.Task.WaitAsync(remaining, _time, cancel);
    }

    /// <summary>
    /// After a write on the master (under the node lock): serves waiting clients whose keys now hold what they
    /// wait for, longest-waiting first, until no waiter can be served.
    /// </summary>
    private void ServeKeyWaits()
    {
        // Only clients in database 0 wait (ExecuteWaitingAsync), so waiters are served there, whatever the writer selected.
        int selected = _context.Database;
        _context.Database = 0;
        try
        {
            ServeKeyWaitsInDatabase0();
        }
        finally
        {
            _context.Database = selected;
        }
    }

    private void ServeKeyWaitsInDatabase0()
    {
        bool servedAny = true;
        while (servedAny && _keyWaits.Count > 0)
        {
            servedAny = false;
            foreach (var key in _keyWaits.Keys())
            {
                while (_keyspace[0].TypeOf(key) is { } type && _keyWaits.FirstFor(key, type) is { } waiter)
                {
                    var reply = new ArrayBufferWriter<byte>();
                    var position = RunAndLog([(waiter.Spec, waiter.Args)], reply);
                    if (reply.WrittenSpan.SequenceEqual(NothingServed))
                        break; // e.g. the key had expired: it stays waited on
                    _keyWaits.Remove(waiter);
                    waiter.Served.TrySetResult(new KeyWaitResult(reply.WrittenSpan.ToArray(), BinlogPosition.Max(position, waiter.Dependency)));
                    servedAny = true;
                }
            }
        }
    }

    /// <summary>Fails every waiting client (the node stopped serving): their sessions answer with the error.</summary>
    private void FailKeyWaits(Exception failure)
    {
        foreach (var waiter in _keyWaits.All())
        {
            _keyWaits.Remove(waiter);
            waiter.Served.TrySetException(failure);
        }
    }
}
