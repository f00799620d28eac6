using Microsoft.Extensions.Logging;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

public sealed partial class DataNode
{
    private readonly CancellationTokenSource _stopping = new();
    private PositionWaiters _written = new(BinlogPosition.Zero);
    private Task? _maintenance;
    private BinlogPosition _lastCheckpoint;

    /// <summary>How many expired keys the master deletes per maintenance tick at most.</summary>
    private const int ExpiryKeysPerTick = 64;

    private static readonly TimeSpan MaintenanceTick = TimeSpan.FromMilliseconds(50);

    /// <summary>Cancelled when the node stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// Recovers and starts the node (docs/ARCHITECTURE.md, workflow 2): load the SQLite store, open the
    /// log (cutting a torn tail), replay the items after the store's position, then accept commands.
    /// A corrupt log or store leaves the node Failed with the reason; the process keeps serving.
    /// A slave whose <paramref name="deferLink"/> is true connects to its master only at <see cref="StartLink"/>
    /// (its host calls that once every listener of the process is up, so an embedded master is reachable).
    /// </summary>
    public void Start(bool deferLink = false)
    {
        try
        {
            Recover();
            State = NodeState.Running;
            Publish("node-start", $"Node {Id} ({Role.ToString().ToLowerInvariant()}) started at {Positions().End}.");
            _maintenance = StartLoop("maintenance", _ => MaintenanceLoopAsync());
            if (Role == NodeRole.Slave)
                StartSlave(deferLink);
            else
                StartSemiSyncTimer();
        }
        catch (Exception e) when (e is BinlogCorruptException or InvalidDataException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            Fail(e.Message, e);
        }
    }

    private void Recover()
    {
        Directory.CreateDirectory(_settings.DataDirectory);
        LoadClusterId();
        if (Role == NodeRole.Slave)
            DiscardUnfinishedSnapshot();
        _store = new SqliteNodeStore(_settings.StorePath);
        var applied = Role == NodeRole.Slave ? TrustedAppliedState(_store) : _store.ReadAppliedState();
        foreach (var entry in _store.ReadAll())
            _keyspace.Load(entry);

        // A master's store reflects durable items only: a bad tail before its position is damage, refused uncut.
        var log = BinlogRecovery.Open(_settings.LogDirectory, _settings.QuarantineDirectory,
            Role == NodeRole.Master ? applied.Position : BinlogPosition.Zero, _time);
        if (log.TornTail is { } torn)
            Publish("torn-tail-truncated",
                $"Cut a torn {(Role == NodeRole.Master ? "binlog" : "relay log")} tail of {torn.BytesDiscarded} bytes at {Path.GetFileName(torn.FilePath)}:{torn.Offset}, copied first to {torn.QuarantinePath}.");

        var from = applied.Position == BinlogPosition.Zero ? log.Start : applied.Position;
        if (from > log.End || from < log.Start)
        {
            if (Role == NodeRole.Master)
                throw new InvalidDataException(
                    $"The store {_settings.StorePath} reflects binlog position {from}, outside the binlog ({log.Start}..{log.End}).");
            // A slave's relay log is only a cache of the master's binlog: restart it at the applied position.
            log = ResetRelayLog(applied);
            from = applied.Position;
        }
        if (log.Damage.Count > 0 && HandleRecoveredDamage(log, from))
        {
            log = ResetRelayLog(applied);
            from = applied.Position == BinlogPosition.Zero ? log.Start : applied.Position;
        }

        var applier = new ItemApplier(_keyspace);
        long replayed = 0;
        _lastTransactionId = applied.LastTransactionId;
        _applied = from;
        _appliedLogical = applied.Position == BinlogPosition.Zero ? log.Segments[0].StartLogicalOffset : applied.LogicalOffset;
        foreach (var entry in new BinlogReader(_settings.LogDirectory).Read(from, log.End))
        {
            applier.Apply(entry.Item);
            _lastTransactionId = entry.Item.Id;
            _appliedLogical += entry.End.Offset - entry.Start.Offset;
            _applied = entry.End;
            replayed++;
        }
        if (replayed > 0)
            Publish("items-replayed", $"Replayed {replayed} {(Role == NodeRole.Master ? "binlog" : "relay log")} items from {from} to {log.End}.");

        if (_lastTransactionId.Origin == Id)
            _sequence = _lastTransactionId.Sequence;
        if (log.LastTransactionId.Origin == Id)
            _sequence = Math.Max(_sequence, log.LastTransactionId.Sequence);

        _lastCheckpoint = replayed == 0 ? from : BinlogPosition.Zero;
        // A master's binlog beyond its last recorded committed position waits like a write (DataNode.RecoveredTail.cs).
        var committed = RecoveredCommittedPosition(log);
        _committedAtCheckpoint = committed;
        _pending = new PendingWriteIndex(committed);
        long tailItems = RecordRecoveredTail(committed, log.End);
        _committed = new PositionWaiters(committed);
        _durable = new PositionWaiters(log.End);
        _written = new PositionWaiters(log.End);
        if (Role == NodeRole.Master)
        {
            InitialiseSemiSync(log.End, committed);
            ReportRecoveredTail(committed, log.End, tailItems);
        }
        OpenLogWriter(log);
        if (Role == NodeRole.Slave)
            InitialiseReceived(log);
        else
            BeginAwaitingSlaves(log);
    }

    private void OpenLogWriter(RecoveredBinlog log)
    {
        // A relay log synced on demand is fsynced when the slave acknowledges (when its SlaveMachine asks for the relay sync before an ack), not per group.
        int syncPolicy = RelaySyncedOnDemand ? 0 : _settings.SyncBinlog;
        // A master ships what its flusher just wrote from memory (docs/ARCHITECTURE.md, the path of one write).
        _memoryTail = Role == NodeRole.Master ? new BinlogMemoryTail(log.End, log.EndLogicalOffset) : null;
        _masterLog?.Dispose();
        _masterLog = new MasterLog(_settings.LogDirectory, _memoryTail, Id, () => DamagedThrough);
        _log = new BinlogWriter(log, syncPolicy, _settings.BinlogSegmentBytes, OnLogProgress, OnLogFailure, _time,
            OnLogOutOfSpace, OnLogSpaceRecovered, _memoryTail)
        {
            WriteDelayMs = _settings.Faults.BinlogWriteDelayMs,
        };
    }

    private async Task MaintenanceLoopAsync()
    {
        var nextCheckpoint = _time.GetUtcNow();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(MaintenanceTick, _time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (State != NodeState.Running)
                return;
            Faults.ThrowIfArmed(FaultPoint.KillMaintenanceLoop);
            if (Role == NodeRole.Master)
                ExpireKeys();
            SampleRate();
            try
            {
                PurgeOldSegments();
            }
            catch (IOException e)
            {
                // Purging is housekeeping: a failure is logged and retried, never fatal.
                _logger.LogWarning(e, "Node {NodeId}: purging old log segments failed", Id);
            }
            if (_time.GetUtcNow() >= nextCheckpoint)
            {
                try
                {
                    var work = await CheckpointAsync();
                    // Spaced by its own cost (CheckpointPacing): a big dirty collection is written whole.
                    var delay = CheckpointPacing.NextDelay(TimeSpan.FromMilliseconds(_settings.CheckpointIntervalMs), work);
                    if (work > TimeSpan.Zero)
                        LastCheckpoint = new CheckpointCost(work, delay);
                    nextCheckpoint = _time.GetUtcNow() + delay;
                }
                catch (Exception e) when (e is not OperationCanceledException and not NodeUnavailableException)
                {
                    Fail($"checkpoint to {_settings.StorePath} failed: {e.Message}", e);
                    return;
                }
                catch (NodeUnavailableException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Active expiry: the master alone decides that a key expired, and logs a DEL for it.</summary>
    private void ExpireKeys()
    {
        lock (_gate)
        {
            // An expiry is a write: none may fork history while the master waits for its slaves' relay logs.
            if (State != NodeState.Running || WritesBlocked is not null || _awaitingSlaves)
                return;
            _context.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            // Every database shares one budget per tick; each DEL is logged in its own database.
            int budget = ExpiryKeysPerTick;
            for (int database = 0; database < _keyspace.DatabaseCount && budget > 0; database++)
            {
                _context.Database = database;
                budget -= _keyspace[database].SweepExpired(_context, budget);
            }
            AppendEffects();
        }
    }

    /// <summary>
    /// Writes the keys changed since the last checkpoint and the position they reflect to SQLite, in one
    /// transaction, once the log is durable up to that position: the store never gets ahead of the log.
    /// While the log waits for disk space no checkpoint is taken; one that finds the store's disk full keeps
    /// its changes for the next attempt (see <see cref="StoreOutOfSpace"/>).
    /// </summary>
    /// <returns>The checkpoint's work (see <see cref="CheckpointCost"/>); zero when there was nothing to write.</returns>
    private async Task<TimeSpan> CheckpointAsync()
    {
        DirtyKeys changes;
        AppliedState state;
        SqliteNodeStore store;
        BinlogPosition? committed;
        long heldFrom;
        lock (_gate)
        {
            heldFrom = _time.GetTimestamp();
            if (_store is null || WritesBlocked is not null || !StoreRetryDue())
                return TimeSpan.Zero;
            // A master also records its committed position, so a restart knows which recovered items readers saw.
            committed = Role == NodeRole.Master ? _committed.Reached : null;
            if (_applied == _lastCheckpoint && _unsavedChanges is null && (committed is null || committed <= _committedAtCheckpoint))
                return TimeSpan.Zero;
            store = _store;
            changes = TakeChangesToSave();
            state = new AppliedState(_applied, _appliedLogical, _lastTransactionId);
        }
        var work = _time.GetElapsedTime(heldFrom);
        if (_durable.Reached < state.Position)
        {
            _log!.RequestSync();
            await _durable.WaitAsync(state.Position);
        }
        if (Role == NodeRole.Slave)
            Faults.CrashIfArmed(FaultPoint.CrashAfterApplyBeforeCommit);
        lock (_storeGate)
        {
            long writingFrom = _time.GetTimestamp();
            if (!ReferenceEquals(store, _store))
                return TimeSpan.Zero; // a full resync replaced the store meanwhile; its snapshot already holds this state
            try
            {
                store.Checkpoint(changes, state, committed);
                work += _time.GetElapsedTime(writingFrom);
            }
            catch (Exception e) when (OutOfSpace.Is(e))
            {
                StoreOutOfSpace(changes, e);
                return TimeSpan.Zero;
            }
        }
        StoreWritten();
        _lastCheckpoint = state.Position;
        if (committed is { } recorded)
            _committedAtCheckpoint = BinlogPosition.Max(_committedAtCheckpoint, recorded);
        CheckpointSaved();
        if (Role == NodeRole.Slave)
            Faults.CrashIfArmed(FaultPoint.CrashAfterCommitBeforeAck);
        return work;
    }

    private readonly object _storeGate = new();

    /// <summary>Stops gracefully: no new commands, the log synced, a last checkpoint written.</summary>
    public void Stop()
    {
        bool wasRunning;
        lock (_gate)
        {
            wasRunning = State == NodeState.Running;
            if (wasRunning)
                State = NodeState.Stopped;
            FailBlockedClients(new NodeUnavailableException($"node {Id} stopped"));
        }
        _stopping.Cancel();
        StopSlave();
        try
        {
            _maintenance?.Wait();
        }
        catch (AggregateException)
        {
        }
        _log?.Dispose();
        if (wasRunning && _log is not null)
        {
            _durable.Advance(_log.Progress.Durable);
            if (WritesBlocked is null)
            {
                try
                {
                    CheckpointAsync().GetAwaiter().GetResult();
                }
                catch (NodeUnavailableException)
                {
                }
                Publish("node-stop", $"Node {Id} stopped at {_log.End}.");
            }
            else
                // The group the disk had no room for was never acknowledged and is gone with memory; the store keeps
                // its last checkpoint and the next start replays the binlog as it is on disk.
                Publish("node-stop", $"Node {Id} stopped while its disk was full ({WritesBlocked}); it restarts from the log on disk, at {_log.Progress.Durable}.");
        }
        var stopped = new NodeUnavailableException($"node {Id} stopped");
        _committed.Fail(stopped);
        _released.Fail(stopped);
        _logged.Fail(stopped);
        _store?.Dispose();
        _store = null;
    }

    public void Dispose() => Stop();
}
