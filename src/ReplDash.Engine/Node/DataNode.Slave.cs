using System.Threading.Channels;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Replication;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

/// <summary>
/// The slave's side (docs/REPLICATION.md, workflow 3): items received from the master are written to the
/// relay log at the master's own positions, acknowledged once durable, and applied in order by one applier
/// task. The applied position is stored with the data in each checkpoint (lesson L3).
/// </summary>
public sealed partial class DataNode
{
    private sealed record ApplyWork(BinlogPosition Start, BinlogPosition End, long EndLogical, BinlogItem Item);

    // How long a stop waits, on the node's clock, for the applier to finish the item in hand.
    private static readonly TimeSpan ApplierStopWait = TimeSpan.FromSeconds(30);

    private Channel<ApplyWork> _applyQueue = Channel.CreateUnbounded<ApplyWork>(new UnboundedChannelOptions { SingleReader = true });
    private PositionWaiters _appliedWaiters = new(BinlogPosition.Zero);
    private ItemApplier? _itemApplier;
    private Task? _applierTask;
    private ReplicationClient? _client;
    private BinlogPosition _receivedEnd;
    private long _receivedLogical;
    private TransactionId _lastReceivedId = TransactionId.None;
    private long _slowApplies;
    private long _lastAppliedTimestampMs;

    /// <summary>The master's timestamp of the last item applied here (Unix ms), for lag in time.</summary>
    public long LastAppliedTimestampMs => Interlocked.Read(ref _lastAppliedTimestampMs);

    /// <summary>Apply time of recent items, for operators (the early warning for L1).</summary>
    public ApplyTimeStats ApplyTimes { get; } = new();

    /// <summary>The slave's link to its master (null on a master).</summary>
    public ReplicationClient? Link => _client;

    /// <summary>Items whose apply took longer than SlowApplyMs.</summary>
    public long SlowApplies => Interlocked.Read(ref _slowApplies);

    private string AppliedPositionFile => Path.Combine(_settings.DataDirectory, "applied.pos");
    private string LoadingStorePath => _settings.StorePath + ".loading";

    private void StartSlave(bool deferLink)
    {
        _itemApplier = new ItemApplier(_keyspace);
        // An apply that throws may have changed memory half-way: the node fails (visibly) rather than go on.
        _applierTask = StartLoop("apply", _ => ApplyLoopAsync(), LoopFailureAction.FailNode);
        _client = new ReplicationClient(this, _settings, _events, _logger, _time);
        if (!deferLink)
            _client.Start();
    }

    /// <summary>Starts a running slave's link to its master when <see cref="Start"/> deferred it; otherwise nothing.</summary>
    public void StartLink()
    {
        if (State == NodeState.Running && _client is { IsStarted: false } client)
            client.Start();
    }

    private void StopSlave()
    {
        _client?.Stop();
        _applyQueue.Writer.TryComplete();
        try
        {
            _applierTask?.WaitAsync(ApplierStopWait, _time).Wait();
        }
        catch (AggregateException)
        {
        }
    }

    private void InitialiseReceived(RecoveredBinlog log)
    {
        _receivedEnd = log.End;
        _receivedLogical = log.EndLogicalOffset;
        _lastReceivedId = log.LastTransactionId == TransactionId.None ? _lastTransactionId : log.LastTransactionId;
        _appliedWaiters = new PositionWaiters(_applied);
    }

    /// <summary>
    /// Which applied position to trust after a restart: the one stored with the data, always — unless the
    /// unsafe legacy switch says to trust a separately written file (MySQL's crash-unsafe replica).
    /// </summary>
    private AppliedState TrustedAppliedState(SqliteNodeStore store)
    {
        if (_settings.Faults.UnsafeAppliedPositionOutsideData && File.Exists(AppliedPositionFile))
            return AppliedPositionFileFormat.Read(AppliedPositionFile);
        return store.ReadAppliedState();
    }

    /// <summary>A snapshot whose transfer did not finish is never used (a crash mid full resync).</summary>
    private void DiscardUnfinishedSnapshot()
    {
        foreach (var file in Directory.GetFiles(_settings.DataDirectory, Path.GetFileName(LoadingStorePath) + "*"))
        {
            File.Delete(file);
            Publish("full-resync-discarded", $"Discarded an unfinished snapshot ({Path.GetFileName(file)}) left by a crash during a full resync.");
        }
    }

    /// <summary>Starts an empty relay log whose first item will be the one at <paramref name="state"/>'s position.</summary>
    private RecoveredBinlog ResetRelayLog(AppliedState state)
    {
        if (Directory.Exists(_settings.LogDirectory))
            Directory.Delete(_settings.LogDirectory, recursive: true);
        Directory.CreateDirectory(_settings.LogDirectory);
        if (state.Position != BinlogPosition.Zero)
            BinlogDirectory.CreateSegment(_settings.LogDirectory, state.Position.FileNumber, state.LogicalOffset, (int)state.Position.Offset).Dispose();
        return BinlogRecovery.Open(_settings.LogDirectory, time: _time);
    }

    /// <summary>The relay log's durable end, its logical offset and last transaction: what TrySync reports.</summary>
    public (BinlogPosition Received, long ReceivedLogical, TransactionId LastReceived, BinlogPosition Applied) ReceivedState()
    {
        lock (_gate)
            return (_receivedEnd, _receivedLogical, _lastReceivedId, _applied);
    }

    /// <summary>What the slave has applied (for acks and the unsafe first-ack mode).</summary>
    public BinlogPosition Applied
    {
        get { lock (_gate) return _applied; }
    }

    /// <summary>
    /// Carries out a <see cref="SlaveMachine"/> step's relay appends and applies (the driver's storage adapter): each item
    /// the machine appends is written to the relay log at the master's own position, then queued for apply; an apply
    /// with no append (the unsafe first-ack switch: an item the slave already holds, applied again as Pika did, lesson L1)
    /// is only queued. The machine checked checksums and that every append continues the relay log.
    /// </summary>
    /// <exception cref="InvalidDataException">The relay log refused an append (it does not continue the log).</exception>
    /// <exception cref="NodeUnavailableException">The node stopped, or its relay log waits for disk space.</exception>
    internal void ReceiveFromMachine(IReadOnlyList<AppendItem> appends, IReadOnlyList<ApplyItem> applies)
    {
        lock (_gate)
        {
            EnsureRunning();
            // A relay log waiting for disk space takes nothing more: the link drops and the slave reconnects once it can.
            if (WritesBlocked is { } blocked)
                throw new NodeUnavailableException($"node {Id} cannot receive: {blocked}", "MISCONF");
            int next = 0;
            foreach (var apply in applies)
            {
                if (next < appends.Count && appends[next].Start == apply.Start)
                {
                    try
                    {
                        _log!.AppendEncoded(appends[next].Encoded, apply.Start);
                    }
                    catch (InvalidOperationException e)
                    {
                        throw new InvalidDataException(e.Message);
                    }
                    next++;
                    _receivedEnd = apply.End;
                    _receivedLogical = apply.EndLogical;
                    _lastReceivedId = apply.Item.Id;
                }
                _applyQueue.Writer.TryWrite(new ApplyWork(apply.Start, apply.End, apply.EndLogical, apply.Item));
            }
            if (next != appends.Count)
                throw new InvalidOperationException($"{appends.Count - next} relay append(s) had no apply: the machine's step is inconsistent");
        }
    }

    // The slave driver's applier report (null: no driver listens): every position the applier reaches, in order.
    private volatile Action<BinlogPosition>? _appliedReport;

    /// <summary>Reports every position the applier reaches to <paramref name="report"/> (null: stop reporting).</summary>
    internal void ReportAppliedTo(Action<BinlogPosition>? report) => _appliedReport = report;

    /// <summary>
    /// True when the relay log is synced only when the slave acknowledges (SyncRelayLog=1 with AckCoalesceMs &gt; 0):
    /// one fsync then covers every batch received since the last ack, instead of one fsync per batch.
    /// </summary>
    private bool RelaySyncedOnDemand =>
        Role == NodeRole.Slave && _settings.SyncBinlog == 1 && _settings.Replication.AckCoalesceMs > 0;

    /// <summary>Completes when the relay log holds everything before <paramref name="position"/> per SyncRelayLog.</summary>
    public Task WaitRelaySyncedAsync(BinlogPosition position)
    {
        if (_settings.SyncBinlog == 0)
            return _written.WaitAsync(position);
        if (RelaySyncedOnDemand && _durable.Reached < position)
            _log!.RequestSync();
        return _durable.WaitAsync(position);
    }

    /// <summary>Where the relay log is synced to (or written, under SyncRelayLog=0).</summary>
    public BinlogPosition RelaySynced => _settings.SyncBinlog == 0 ? _written.Reached : _durable.Reached;

    /// <summary>Completes once the data reflects every item before <paramref name="position"/> (full resync catch-up).</summary>
    public Task WaitAppliedAsync(BinlogPosition position) => _appliedWaiters.WaitAsync(position);

    /// <summary>Completes when every received item has been applied (in-flight work drained, lesson L1).</summary>
    public Task DrainAppliesAsync()
    {
        BinlogPosition received;
        lock (_gate)
            received = _receivedEnd;
        return _appliedWaiters.WaitAsync(received);
    }

    /// <summary>
    /// Applies queued items in order. Whatever is waiting is applied under one lock acquisition (fewer lock
    /// and wake-up costs per item under load); each item's duration is still measured on its own.
    /// </summary>
    private async Task ApplyLoopAsync()
    {
        var reader = _applyQueue.Reader;
        var batch = new List<ApplyWork>(256);
        var durations = new List<long>(256);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            durations.Clear();
            while (batch.Count < 256 && reader.TryRead(out var work))
                batch.Add(work);
            Faults.ThrowIfArmed(FaultPoint.KillApplyLoop);
            if (!Faults.Armed.ContainsKey(FaultPoint.SlowApply))
            {
                if (!ApplyAll(batch, durations))
                    return;
            }
            else foreach (var work in batch)
            {
                if (Faults.TryHit(FaultPoint.SlowApply, out int delayMs))
                {
                    // A slow item is applied alone, after its delay, like a long-running task. The event lets a
                    // test act while the apply is in flight.
                    Publish("fault-hit", $"SlowApply: item {work.Item.Id} at {work.Start} is delayed by {delayMs} ms.");
                    long started = _time.GetTimestamp();
                    // The node's clock, and its stopping token: a stop does not wait for the delay (nothing is
                    // applied once stopped anyway).
                    await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, _stopping.Token);
                    if (!ApplyOne(work, started, durations))
                        return;
                    continue;
                }
                if (!ApplyOne(work, _time.GetTimestamp(), durations))
                    return;
            }
            var last = batch[^1];
            Interlocked.Exchange(ref _lastAppliedTimestampMs, last.Item.TimestampMs);
            _appliedWaiters.Advance(last.End);
            _appliedReport?.Invoke(last.End);
            if (_settings.Faults.UnsafeAppliedPositionOutsideData)
                AppliedPositionFileFormat.Write(AppliedPositionFile, new AppliedState(last.End, last.EndLogical, last.Item.Id));
            for (int i = 0; i < batch.Count; i++)
            {
                ApplyTimes.Record(durations[i], batch[i].Start);
                if (durations[i] > _settings.Replication.SlowApplyMs)
                {
                    Interlocked.Increment(ref _slowApplies);
                    Publish("slow-apply", $"Item {batch[i].Item.Id} at {batch[i].Start} took {durations[i]} ms to apply (threshold {_settings.Replication.SlowApplyMs} ms).");
                }
            }
        }
    }

    /// <summary>Applies a batch under one lock acquisition; false when the node stopped.</summary>
    private bool ApplyAll(List<ApplyWork> batch, List<long> durations)
    {
        lock (_gate)
        {
            foreach (var work in batch)
                if (!ApplyOne(work, _time.GetTimestamp(), durations))
                    return false;
        }
        return true;
    }

    /// <summary>Applies one item under the lock (re-entrant from <see cref="ApplyAll"/>); false when the node stopped.</summary>
    private bool ApplyOne(ApplyWork work, long startedTimestamp, List<long> durations)
    {
        lock (_gate)
        {
            if (State != NodeState.Running)
                return false;
            if (work.End > _applied || _settings.Faults.UnsafeFirstAckWithoutDrain)
            {
                if (work.Item.Type == BinlogItemType.CheckMarker)
                    AnswerCheckMarker(work.Item);
                else if (work.Item.Type == BinlogItemType.Publish)
                    DeliverReplicatedPublish(work.Item);
                _itemApplier!.Apply(work.Item);
                _applied = BinlogPosition.Max(_applied, work.End);
                _appliedLogical = Math.Max(_appliedLogical, work.EndLogical);
                _lastTransactionId = work.Item.Id;
            }
            // else: already in the data (a snapshot was loaded meanwhile)
        }
        durations.Add((long)_time.GetElapsedTime(startedTimestamp).TotalMilliseconds);
        return true;
    }
}
