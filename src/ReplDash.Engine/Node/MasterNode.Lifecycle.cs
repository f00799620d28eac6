using Microsoft.Extensions.Logging;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

public sealed partial class MasterNode
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenance;
    private BinlogPosition _lastCheckpoint;

    /// <summary>How many expired keys the master deletes per maintenance tick at most.</summary>
    private const int ExpiryKeysPerTick = 64;

    private static readonly TimeSpan MaintenanceTick = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Recovers and starts the node (docs/ARCHITECTURE.md, workflow 2): load the SQLite store, open the
    /// binlog (cutting a torn tail), replay the items after the store's position, then accept commands.
    /// A corrupt binlog or store leaves the node Failed with the reason; the process keeps serving.
    /// </summary>
    public void Start()
    {
        try
        {
            Recover();
            State = NodeState.Running;
            Publish("node-start", $"Node {Id} started at {Positions().End}.");
            _maintenance = Task.Run(MaintenanceLoopAsync);
        }
        catch (Exception e) when (e is BinlogCorruptException or InvalidDataException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            Fail(e.Message, e);
        }
    }

    private void Recover()
    {
        Directory.CreateDirectory(_settings.DataDirectory);
        _store = new SqliteNodeStore(_settings.StorePath);
        var applied = _store.ReadAppliedState();
        foreach (var entry in _store.ReadAll())
            _keyspace.Load(entry);

        var binlog = BinlogRecovery.Open(_settings.BinlogDirectory);
        if (binlog.TornTail is { } torn)
            Publish("torn-tail-truncated",
                $"Cut a torn binlog tail of {torn.BytesDiscarded} bytes at {Path.GetFileName(torn.FilePath)}:{torn.Offset}.");

        var from = applied.Position == BinlogPosition.Zero ? binlog.Start : applied.Position;
        if (from > binlog.End)
            throw new InvalidDataException(
                $"The store {_settings.StorePath} reflects binlog position {from}, beyond the binlog's end {binlog.End}.");

        var applier = new ItemApplier(_keyspace);
        long replayed = 0;
        _lastTransactionId = applied.LastTransactionId;
        foreach (var entry in new BinlogReader(_settings.BinlogDirectory).Read(from, binlog.End))
        {
            applier.Apply(entry.Item);
            _lastTransactionId = entry.Item.Id;
            replayed++;
        }
        if (replayed > 0)
            Publish("items-replayed", $"Replayed {replayed} binlog items from {from} to {binlog.End}.");

        if (_lastTransactionId.Origin == Id)
            _sequence = _lastTransactionId.Sequence;
        if (binlog.LastTransactionId.Origin == Id)
            _sequence = Math.Max(_sequence, binlog.LastTransactionId.Sequence);

        _lastCheckpoint = replayed == 0 ? from : BinlogPosition.Zero;
        _pending = new PendingWriteIndex(binlog.End);
        _committed = new PositionWaiters(binlog.End);
        _durable = new PositionWaiters(binlog.End);
        _binlog = new BinlogWriter(binlog, _settings.SyncBinlog, _settings.BinlogSegmentBytes, OnBinlogProgress, OnBinlogFailure)
        {
            WriteDelayMs = _settings.BinlogWriteDelayMs,
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
            ExpireKeys();
            SampleRate();
            if (_time.GetUtcNow() >= nextCheckpoint)
            {
                nextCheckpoint = _time.GetUtcNow().AddMilliseconds(_settings.CheckpointIntervalMs);
                try
                {
                    await CheckpointAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Fail($"checkpoint to {_settings.StorePath} failed: {e.Message}", e);
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
            if (State != NodeState.Running)
                return;
            _context.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _keyspace.SweepExpired(_context, ExpiryKeysPerTick);
            AppendEffects();
        }
    }

    /// <summary>
    /// Writes the keys changed since the last checkpoint and the position they reflect to SQLite, in one
    /// transaction, once the binlog is durable up to that position: the store never gets ahead of the log.
    /// </summary>
    private async Task CheckpointAsync()
    {
        Core.Keyspace.DirtyKeys changes;
        AppliedState state;
        lock (_gate)
        {
            var end = _binlog!.End;
            if (end == _lastCheckpoint)
                return;
            changes = _keyspace.TakeDirty();
            state = new AppliedState(end, _binlog.EndLogicalOffset, _lastTransactionId);
        }
        if (_durable.Reached < state.Position)
        {
            _binlog.RequestSync();
            await _durable.WaitAsync(state.Position);
        }
        _store!.Checkpoint(changes, state);
        _lastCheckpoint = state.Position;
    }

    private void Publish(string kind, string message) =>
        _events.Publish(new EngineEvent(_time.GetUtcNow(), Id, kind, message));

    /// <summary>Stops gracefully: no new commands, the binlog synced, a last checkpoint written.</summary>
    public void Stop()
    {
        bool wasRunning;
        lock (_gate)
        {
            wasRunning = State == NodeState.Running;
            if (wasRunning)
                State = NodeState.Stopped;
        }
        _stopping.Cancel();
        try
        {
            _maintenance?.Wait();
        }
        catch (AggregateException)
        {
        }
        _binlog?.Dispose();
        if (wasRunning && _binlog is not null)
        {
            _durable.Advance(_binlog.Progress.Durable);
            CheckpointAsync().GetAwaiter().GetResult();
            Publish("node-stop", $"Node {Id} stopped at {_binlog.End}.");
        }
        _committed.Fail(new NodeUnavailableException($"node {Id} stopped"));
        _store?.Dispose();
        _store = null;
    }

    public void Dispose() => Stop();
}
