using System.Buffers;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

/// <summary>
/// One node: the in-memory keyspace, its log (a master's binlog with group commit, or a slave's relay log)
/// and the SQLite checkpoint store. Master-only and slave-only parts live in DataNode.Master.cs and
/// DataNode.Slave.cs.
/// </summary>
/// <remarks>
/// Write path (docs/ARCHITECTURE.md, workflow 1): under the node lock a command runs against memory and
/// its effects are appended to the current binlog group, which fixes their order. The reply is held
/// until the commit position passes the item (fsync under SyncBinlog=1). Any reply that read a key with
/// an uncommitted write is held the same way, so no client sees data a crash could take back.
/// One lock instead of one loop thread: a command costs a lock, not a thread hop, and the flusher
/// and checkpointer never hold it while doing I/O.
/// </remarks>
public sealed partial class DataNode : IDisposable
{
    private readonly object _gate = new();
    private readonly NodeSettings _settings;
    private readonly IEngineEventSink _events;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // Every numbered database; a command runs in the one its client selected (_context.Database).
    private KeyspaceDatabases _keyspace;
    private CommandContext _context;
    private PendingWriteIndex _pending = new(BinlogPosition.Zero);
    private PositionWaiters _committed = new(BinlogPosition.Zero);
    private PositionWaiters _durable = new(BinlogPosition.Zero);
    private BinlogWriter? _log;
    private SqliteNodeStore? _store;
    private long _sequence;
    private long _commandsProcessed;

    // What the in-memory data reflects: every log item before _applied. On a master the same as the log end.
    private BinlogPosition _applied;
    private long _appliedLogical;
    private TransactionId _lastTransactionId = TransactionId.None;

    public DataNode(NodeSettings settings, IEngineEventSink events, ILogger logger, TimeProvider time, FaultInjector faults)
    {
        _settings = settings;
        _events = events;
        _logger = logger;
        _time = time;
        StartedAt = time.GetUtcNow();
        _lastSaveUnixSeconds = StartedAt.ToUnixTimeSeconds();
        CommandStats = new Resp.CommandStats(time);
        Faults = faults;
        _keyspace = new KeyspaceDatabases(settings.Databases);
        _context = new CommandContext(_keyspace, new ArrayBufferWriter<byte>(), 0, new Random());
    }

    /// <summary>The node's id.</summary>
    public string Id => _settings.NodeId;

    /// <summary>Master or slave.</summary>
    public NodeRole Role => _settings.Role;

    /// <summary>The settings the node runs with.</summary>
    public NodeSettings Settings => _settings;

    /// <summary>Faults armed at run time (tests only).</summary>
    public FaultInjector Faults { get; }

    /// <summary>Where the node is in its life cycle.</summary>
    public NodeState State { get; private set; } = NodeState.Starting;

    /// <summary>Why the node failed, when it did.</summary>
    public string? LastError { get; private set; }

    /// <summary>Commands run since start (for ops/s).</summary>
    public long CommandsProcessed => Interlocked.Read(ref _commandsProcessed);

    /// <summary>Everything before this position may be read and answered.</summary>
    public BinlogPosition Committed => _committed.Reached;

    /// <summary>
    /// Runs one data command. The reply goes to <paramref name="reply"/>, but must not be sent before the
    /// returned position is committed (see <see cref="WaitRepliesAsync"/>). A slave refuses writes.
    /// </summary>
    /// <param name="committedView">The client has no write of its own that others cannot see yet: a read of a key
    /// whose newer write waits for acks may be answered from the key's committed image instead of waiting.</param>
    public BinlogPosition Execute(CommandSpec spec, byte[][] args, IBufferWriter<byte> reply, bool committedView = false)
    {
        int database = 0;
        return Execute(spec, args, reply, ref database, committedView);
    }

    /// <summary>
    /// <see cref="Execute(CommandSpec, byte[][], IBufferWriter{byte}, bool)"/> in the client's selected database
    /// <paramref name="database"/>, which SELECT changes.
    /// </summary>
    public BinlogPosition Execute(CommandSpec spec, byte[][] args, IBufferWriter<byte> reply, ref int database, bool committedView = false)
    {
        lock (_gate)
        {
            EnsureRunning();
            _context.Database = database;
            try
            {
                if (Role == NodeRole.Slave)
                    return RunOnReplica(spec, args, reply);
                EnsureWritable(spec);
                if (committedView && TryReadCommittedImages(spec, args, reply))
                    return BinlogPosition.Zero;
                if (RefuseWriteWhileAwaitingSlaves([spec], reply))
                    return BinlogPosition.Zero;
                var position = RunAndLog([(spec, args)], reply);
                return _settings.Faults.UnsafeAnswerBeforeBinlogWrite ? BinlogPosition.Zero : position;
            }
            finally
            {
                database = _context.Database;
            }
        }
    }

    /// <summary>
    /// Runs a MULTI/EXEC block as one binlog transaction; writes the EXEC array reply. When a key
    /// <paramref name="watcher"/> watches changed since WATCH, runs nothing and writes a null array.
    /// With <paramref name="replies"/>, command i answers into replies[i] and <paramref name="reply"/> gets only
    /// what answers the whole EXEC instead (null array or error), for a caller that interleaves other replies.
    /// </summary>
    public BinlogPosition ExecuteTransaction(IReadOnlyList<(CommandSpec Spec, byte[][] Args)> commands, IBufferWriter<byte> reply,
        KeyWatcher? watcher = null, IReadOnlyList<IBufferWriter<byte>>? replies = null)
    {
        int database = 0;
        return ExecuteTransaction(commands, reply, ref database, watcher, replies);
    }

    /// <summary>
    /// <see cref="ExecuteTransaction(IReadOnlyList{ValueTuple{CommandSpec, byte[][]}}, IBufferWriter{byte}, KeyWatcher?, IReadOnlyList{IBufferWriter{byte}}?)"/>
    /// starting in the client's database <paramref name="database"/>; a queued SELECT switches it for the commands after
    /// it and for the client after EXEC, as in Redis.
    /// </summary>
    public BinlogPosition ExecuteTransaction(IReadOnlyList<(CommandSpec Spec, byte[][] Args)> commands, IBufferWriter<byte> reply,
        ref int database, KeyWatcher? watcher = null, IReadOnlyList<IBufferWriter<byte>>? replies = null)
    {
        lock (_gate)
        {
            bool aborted = WatchedKeysChanged(watcher, out var abortDependency);
            EnsureRunning();
            if (aborted)
            {
                Core.Resp.RespWriter.NullArray(reply);
                return abortDependency;
            }
            _context.Database = database;
            try
            {
                return RunTransaction(commands, reply, replies);
            }
            finally
            {
                database = _context.Database;
            }
        }
    }

    /// <summary>The body of a MULTI/EXEC, under the lock, in <see cref="CommandContext.Database"/>.</summary>
    private BinlogPosition RunTransaction(IReadOnlyList<(CommandSpec Spec, byte[][] Args)> commands, IBufferWriter<byte> reply,
        IReadOnlyList<IBufferWriter<byte>>? replies)
    {
        if (Role == NodeRole.Master && RefuseWriteWhileAwaitingSlaves(commands.Select(c => c.Spec), reply))
            return BinlogPosition.Zero;
        if (Role == NodeRole.Master)
            foreach (var (spec, _) in commands)
                EnsureWritable(spec);
        if (replies is null)
            Core.Resp.RespWriter.ArrayHeader(reply, commands.Count);
        if (Role == NodeRole.Slave)
        {
            for (int i = 0; i < commands.Count; i++)
                RunOnReplica(commands[i].Spec, commands[i].Args, replies?[i] ?? reply);
            return BinlogPosition.Zero;
        }
        return RunAndLog(commands.ToArray(), reply, replies);
    }

    /// <summary>
    /// Runs commands on the master and logs what they changed as one binlog item. Returns the position the
    /// replies must wait for: the item's end, or a pending write they read.
    /// </summary>
    private BinlogPosition RunAndLog(ReadOnlySpan<(CommandSpec Spec, byte[][] Args)> commands, IBufferWriter<byte> reply,
        IReadOnlyList<IBufferWriter<byte>>? replies = null)
    {
        var dependency = BinlogPosition.Zero;
        var written = BinlogPosition.Zero;
        _stagedImages.Clear();
        try
        {
            for (int i = 0; i < commands.Length; i++)
            {
                var (spec, args) = commands[i];
                if (_semiSyncOn)
                    StageCommittedImages(spec, args);
                dependency = BinlogPosition.Max(dependency, Run(spec, args, replies?[i] ?? reply));
            }
        }
        finally
        {
            // Even if a command failed half-way, what it changed in memory must reach the log.
            written = AppendEffects();
        }
        return BinlogPosition.Max(dependency, written);
    }

    /// <summary>
    /// Reads the whole dataset (digest, key counts) for a reply; the reply must be held until the returned
    /// position is committed, like any data reply.
    /// </summary>
    public (T Value, BinlogPosition Dependency) ReadWholeDataset<T>(Func<KeyspaceDatabases, T> read)
    {
        lock (_gate)
        {
            EnsureRunning();
            return (read(_keyspace), Role == NodeRole.Master ? _pending.DependencyOfWholeDataset() : BinlogPosition.Zero);
        }
    }

    /// <summary>Runs a function over the keyspace under the lock (counts, stats; not for replies to data reads).</summary>
    public T Inspect<T>(Func<KeyspaceDatabases, T> read)
    {
        lock (_gate)
            return read(_keyspace);
    }

    /// <summary>Positions for operators.</summary>
    public NodePositions Positions()
    {
        var log = _log;
        if (log is null)
            return NodePositions.Empty;
        lock (_gate)
        {
            var progress = log.Progress;
            return new NodePositions(log.End, progress.Written, progress.Durable, log.EndLogicalOffset, _applied, _appliedLogical, _lastTransactionId);
        }
    }

    private BinlogPosition Run(CommandSpec spec, byte[][] args, IBufferWriter<byte> reply)
    {
        _context.Reply = reply;
        _context.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // While a restarted master waits for its slaves, a read that meets an expired key must not log its DEL: that
        // item would take the position where a slave may hold this master's lost tail (lesson L5). The key reads as
        // gone and active expiry deletes it once the wait is over.
        _context.DefersExpiryDeletes = _awaitingSlaves;
        int database = _context.Database; // where its keys are (a SELECT inside MULTI changes it for the next command)
        try
        {
            spec.Handler(_context, args);
        }
        finally
        {
            _context.DefersExpiryDeletes = false;
        }
        _commandsProcessed++;
        if ((spec.Flags & CommandFlags.AllKeys) != 0)
            return _pending.DependencyOfWholeDataset();
        var dependency = _pending.Committed;
        foreach (int i in spec.KeyIndexes(args))
            dependency = BinlogPosition.Max(dependency, _pending.DependencyOf(database, args[i]));
        // MOVE's answer says whether the target database holds the key; COPY's whether its destination exists.
        if (KeysInDatabases.InOtherDatabase(spec, args) is { } other)
            dependency = BinlogPosition.Max(dependency, _pending.DependencyOf(other.Database, other.Key));
        return dependency;
    }

    /// <summary>
    /// A read on a slave: no clock, so nothing expires here (the master sends the DEL); TTL still counts
    /// down for display. What a slave shows is what it has applied, so no reply waits.
    /// </summary>
    private BinlogPosition RunOnReplica(CommandSpec spec, byte[][] args, IBufferWriter<byte> reply)
    {
        if ((spec.Flags & CommandFlags.Write) != 0)
        {
            Core.Resp.RespWriter.Error(reply, "READONLY You can't write against a read only replica.");
            return BinlogPosition.Zero;
        }
        _context.Reply = reply;
        _context.NowMs = null;
        _context.ReadClockMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        spec.Handler(_context, args);
        _context.ReadClockMs = null;
        _commandsProcessed++;
        return BinlogPosition.Zero;
    }

    /// <summary>Turns the effects gathered by the last command(s) into one binlog item. Returns its end.</summary>
    private BinlogPosition AppendEffects()
    {
        if (_context.Effects.Count == 0)
            return BinlogPosition.Zero;
        var effects = _context.Effects.ToArray();
        _context.Effects.Clear();
        var id = new TransactionId(_settings.NodeId, ++_sequence);
        var item = new BinlogItem(BinlogItemType.Transaction, id, _context.NowMs ?? 0, effects);
        BinlogPosition end;
        try
        {
            (_, end) = _log!.Append(item);
        }
        catch (Exception e) when (e is ArgumentException or ObjectDisposedException)
        {
            // Memory now holds a change the log could not take: stop rather than diverge from the log.
            Fail($"could not log transaction {id}: {e.Message}", e);
            throw new NodeUnavailableException($"node {Id} failed: {LastError}");
        }
        _lastTransactionId = id;
        _applied = end;
        _appliedLogical = _log.EndLogicalOffset;
        // Each key is pending in the database its effect applies in (a SELECT effect switches it, as on a replica).
        foreach (var touched in KeysInDatabases.OfItem(effects))
        {
            if (touched.WholeDataset)
                _pending.RecordWholeDataset(end);
            else
                _pending.Record(end, touched.Database, touched.Keys, _stagedImages);
        }
        if (_blocked.Count > 0)
        {
            int database = 0; // each item starts in database 0; its SELECT effects switch it
            foreach (var effect in effects)
            {
                var spec = CommandTable.Find(effect[0]);
                byte[][] keys = spec is null || (spec.Flags & CommandFlags.AllKeys) != 0 ? [] : spec.KeyIndexes(effect).Select(i => effect[i]).ToArray();
                database = NoteReadyKeys(database, effect, keys);
            }
        }
        SemiSyncAppended(end);
        // A write that touched a key blocked clients wait for serves them now, each as an item after this one.
        if (_readyKeys.Count > 0 && !_servingBlocked)
            ServeBlockedClients();
        return end;
    }

    private void EnsureRunning()
    {
        if (State != NodeState.Running)
            throw new NodeUnavailableException(State == NodeState.Failed
                ? $"node {Id} failed: {LastError}"
                : $"node {Id} is {State.ToString().ToLowerInvariant()}");
    }

    /// <summary>Called by the log's flusher after each group.</summary>
    private void OnLogProgress(BinlogProgress progress)
    {
        if (Role == NodeRole.Slave)
        {
            _durable.Advance(progress.Durable);
            _written.Advance(progress.Written);
            return;
        }
        _durable.Advance(progress.Durable);
        _written.Advance(progress.Written);
        // Semi-sync decides from here what readers may see and which replies may go.
        SemiSyncLogged(_settings.SyncBinlog == 1 ? progress.Durable : progress.Written);
    }

    private void OnLogFailure(Exception failure) => Fail($"log write failed: {failure.Message}", failure);

    private void Fail(string reason, Exception? failure)
    {
        lock (_gate)
        {
            State = NodeState.Failed;
            LastError = reason;
            FailBlockedClients(new NodeUnavailableException($"node {Id} failed: {reason}"));
        }
        _logger.LogError(failure, "Node {NodeId} failed: {Reason}", Id, reason);
        Publish("node-failed", reason);
        var exception = new NodeUnavailableException($"node {Id} failed: {reason}");
        _committed.Fail(exception);
        _released.Fail(exception);
        _logged.Fail(exception);
        _durable.Fail(exception);
        _written.Fail(exception);
    }

    private void Publish(string kind, string message) =>
        _events.Publish(new EngineEvent(_time.GetUtcNow(), Id, kind, message));
}

/// <summary>Where a node's log and data stand.</summary>
/// <param name="End">Where the next log item goes.</param>
/// <param name="Written">Handed to the OS.</param>
/// <param name="Durable">Synced to disk.</param>
/// <param name="EndLogical">Logical offset of End (Redis's master_repl_offset).</param>
/// <param name="Applied">The in-memory data reflects every item before this (a master: End).</param>
/// <param name="AppliedLogical">Logical offset of Applied.</param>
/// <param name="LastApplied">Identity of the last applied transaction.</param>
public sealed record NodePositions(BinlogPosition End, BinlogPosition Written, BinlogPosition Durable, long EndLogical,
    BinlogPosition Applied, long AppliedLogical, TransactionId LastApplied)
{
    public static NodePositions Empty { get; } = new(default, default, default, 0, default, 0, TransactionId.None);
}

/// <summary>The node cannot serve (failed or stopped), or cannot take writes now (a full disk); the message says why and is safe to show a client.</summary>
/// <param name="message">Why, in one line.</param>
/// <param name="errorCode">The RESP error code a client gets: ERR, or MISCONF while a full disk refuses writes.</param>
public sealed class NodeUnavailableException(string message, string errorCode = "ERR") : Exception(message)
{
    /// <summary>The RESP error code (the reply's first word).</summary>
    public string ErrorCode { get; } = errorCode;

    /// <summary>The error reply's text: code and message.</summary>
    public string RespError => $"{ErrorCode} {Message}";
}
