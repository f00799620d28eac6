using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Core.Time;
using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Node;

/// <summary>
/// A master's semi-synchronous replication (docs/REPLICATION.md, lesson L4): the rules live in the pure
/// <see cref="SemiSyncState"/>; this part feeds it durable positions and acks, turns its answers into the
/// positions that release replies and reads, runs the timeout, and reports.
/// </summary>
public sealed partial class DataNode
{
    private const int SwitchHistory = 64;
    private static readonly long AckLatencyWindowUs = 60_000_000; // the ack latency histogram covers the last minute

    private readonly object _semiGate = new();
    private SemiSyncState _semiSync = new(SemiSyncConfig.Default with { Enabled = false }, BinlogPosition.Zero);
    private readonly Dictionary<string, LatencyWindow> _ackLatency = new(StringComparer.Ordinal);
    private readonly List<SemiSyncSwitch> _switches = new();
    private long _netWaitTotalUs, _netWaitCount;
    private int _waitSessions;
    // The status (ON) as a flag the hot paths read without the lock: images are taken and replies wait for
    // acks only while ON.
    private volatile bool _semiSyncOn;
    // Enabled (whatever the status): batches to slaves ask for an ack at once (see WaitsForAcks).
    private volatile bool _semiSyncEnabled;
    private TaskCompletionSource _semiWake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Durable (or written, per SyncBinlog) on this master: may be shipped to slaves.
    private PositionWaiters _logged = new(BinlogPosition.Zero);
    // Write replies before this may be sent.
    private PositionWaiters _released = new(BinlogPosition.Zero);

    /// <summary>Write replies before this position may be sent (semi-sync acknowledged, or semi-sync OFF).</summary>
    public BinlogPosition Released => _released.Reached;

    /// <summary>The semi-sync settings in force.</summary>
    public SemiSyncConfig SemiSyncConfig { get { lock (_semiGate) return _semiSync.Config; } }

    /// <summary>
    /// Completes once replies may be sent: what they read is committed (<paramref name="dependency"/>) and the
    /// client's own writes in them (<paramref name="ownWrites"/>) are released by semi-sync.
    /// </summary>
    /// <remarks>
    /// RespSession's plain replies wait through the overload with a <see cref="ReplyWaiter"/>, released inline by the
    /// flusher; this one (blocking pops, key waits) continues on the thread pool.
    /// </remarks>
    public Task WaitRepliesAsync(BinlogPosition dependency, BinlogPosition ownWrites)
    {
        // Semi-sync OFF: released and committed both follow the durable position, so one wait does for both.
        if (!_semiSyncOn)
            dependency = BinlogPosition.Max(dependency, ownWrites);
        else if (ownWrites > _released.Reached)
            return WaitForAcksAsync(dependency, ownWrites);
        return dependency <= _committed.Reached ? Task.CompletedTask : _committed.WaitAsync(dependency);
    }

    /// <summary>
    /// <see cref="WaitRepliesAsync(BinlogPosition, BinlogPosition)"/> through the session's reusable
    /// <paramref name="waiter"/>: with semi-sync OFF (one wait on the commit position) the thread that moves that
    /// position (the binlog flusher, after its fsync) resumes the session inline, so it sends its replies without a
    /// hop through the thread pool and without a task per write.
    /// </summary>
    internal ValueTask WaitRepliesAsync(BinlogPosition dependency, BinlogPosition ownWrites, ReplyWaiter waiter)
    {
        // As above, with the status read once.
        if (!_semiSyncOn)
            dependency = BinlogPosition.Max(dependency, ownWrites);
        else if (ownWrites > _released.Reached)
            return new ValueTask(WaitForAcksAsync(dependency, ownWrites));
        return dependency <= _committed.Reached ? ValueTask.CompletedTask : _committed.WaitAsync(dependency, waiter);
    }

    private async Task WaitForAcksAsync(BinlogPosition dependency, BinlogPosition ownWrites)
    {
        Trace(SemiSyncTrace.Function, "enter WaitForAcks({Position})", ownWrites);
        // Counted as a semi-sync wait (Rpl_semi_sync_master_wait_sessions) once durable here, as MySQL does;
        // by then the visibility the wait point allows is already published.
        await _logged.WaitAsync(ownWrites);
        Interlocked.Increment(ref _waitSessions);
        Trace(SemiSyncTrace.Detail, "wait for acks up to {Position}", ownWrites);
        try
        {
            await _committed.WaitAsync(dependency);
            await _released.WaitAsync(ownWrites);
        }
        finally
        {
            Interlocked.Decrement(ref _waitSessions);
            Trace(SemiSyncTrace.Detail, "wait done for {Position}", ownWrites);
        }
    }

    /// <param name="end">Where the recovered binlog ends (durable).</param>
    /// <param name="committed">Where it stops counting as committed: the tail from here to <paramref name="end"/> waits as one
    /// durable transaction whose wait begins now (DataNode.RecoveredTail.cs).</param>
    private void InitialiseSemiSync(BinlogPosition end, BinlogPosition committed)
    {
        var config = _settings.SemiSync ?? SemiSyncConfig.Default with { Enabled = false };
        // The history starts with the node (no event: node-start says it), so a timeline knows where it begins.
        string reason = !config.Enabled ? "node started, semi-sync disabled"
            : _settings.ConfiguredSlaves == 0 ? "node started; no slave is configured for this master"
            : "node started";
        lock (_semiGate)
        {
            _semiSync = new SemiSyncState(config, committed, startOn: _settings.ConfiguredSlaves > 0);
            if (committed < end)
            {
                _semiSync.OnAppended(end, NowUs());
                _semiSync.OnLogged(end, NowUs());
            }
            _semiSyncOn = _semiSync.Status;
            _semiSyncEnabled = _semiSync.Config.Enabled;
            _switches.Add(new SemiSyncSwitch(_time.GetUtcNow(), _semiSync.Status, reason));
        }
        _logged = new PositionWaiters(end);
        _released = new PositionWaiters(committed);
        PublishSemiSyncPositions(); // the tail is visible now unless semi-sync waits for it
    }

    // The loop ends by itself when the node stops (it waits on the stopping token); if it throws, its supervisor
    // reports it and starts it again, so a waiting write always meets its timeout (issue 11).
    private void StartSemiSyncTimer() => _ = StartLoop("semisync-timeout", SemiSyncTimeoutLoopAsync);

    /// <summary>Under the node lock, as a transaction is appended to the binlog.</summary>
    private void SemiSyncAppended(BinlogPosition end)
    {
        // The flusher may have made it durable already: then its wait starts here, and so must its timeout.
        if (UpdateSemiSync(static (state, position, now) => state.OnAppended(position, now), end))
            WakeSemiSyncTimer();
    }

    /// <summary>The flusher made the binlog durable (or written) up to <paramref name="logged"/>.</summary>
    private void SemiSyncLogged(BinlogPosition logged)
    {
        bool armTimer = UpdateSemiSync(static (state, position, now) => state.OnLogged(position, now), logged);
        PublishSemiSyncPositions();
        // After the visible position: whoever sees the log durable (a shipper, a waiting client) finds it published.
        _logged.Advance(logged);
        if (armTimer)
            WakeSemiSyncTimer();
    }

    /// <summary>Applies a position change to the rules; true when a transaction started waiting (its timeout must be armed).</summary>
    private bool UpdateSemiSync(Action<SemiSyncState, BinlogPosition, long> change, BinlogPosition position)
    {
        lock (_semiGate)
        {
            bool waitingBefore = _semiSync.NextDeadlineUs is not null;
            change(_semiSync, position, NowUs());
            return !waitingBefore && _semiSync.NextDeadlineUs is not null;
        }
    }

    /// <summary>A sync session accepted an ack from <paramref name="slaveId"/> after <paramref name="latencyUs"/>.</summary>
    public void OnSlaveAck(string slaveId, long latencyUs)
    {
        Trace(SemiSyncTrace.Function, "enter OnSlaveAck({SlaveId})", slaveId);
        lock (_semiGate)
        {
            if (!_ackLatency.TryGetValue(slaveId, out var window))
                _ackLatency[slaveId] = window = new LatencyWindow(AckLatencyWindowUs);
            window.Record(NowUs(), latencyUs);
            _netWaitTotalUs += latencyUs;
            _netWaitCount++;
        }
        var quorum = ApplyStreamingAcks();
        Trace(SemiSyncTrace.NetWait, "ack from {SlaveId} after {LatencyUs} us; quorum acked {Quorum}", slaveId, latencyUs, quorum);
        Trace(SemiSyncTrace.Function, "exit OnSlaveAck({SlaveId})", slaveId);
    }

    /// <summary>A slave started streaming (or left): its acknowledged position counts (or no longer does).</summary>
    public void OnSlaveLinksChanged() => ApplyStreamingAcks();

    /// <summary>Feeds what the streaming slaves acknowledged to the rules and applies the outcome; returns the quorum position.</summary>
    private BinlogPosition ApplyStreamingAcks()
    {
        var acks = StreamingAcks();
        SemiSyncTransition? transition;
        BinlogPosition quorum;
        lock (_semiGate)
        {
            transition = _semiSync.OnAcks(acks, NowUs());
            quorum = _semiSync.QuorumAcked;
        }
        if (transition is not null)
            RecordSwitch(transition);
        PublishSemiSyncPositions();
        NotifyAck();
        return quorum;
    }

    /// <summary>
    /// Changes the semi-sync settings at run time. Refuses values that cannot work (the message says why)
    /// and leaves the running settings unchanged then.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are not usable.</exception>
    public void ConfigureSemiSync(SemiSyncConfig next, string changedBy)
    {
        if (Role != NodeRole.Master)
            throw new ArgumentException($"node {Id} is a slave; semi-sync settings belong to a master");
        if (next.Problem(_settings.ConfiguredSlaves) is { } problem)
            throw new ArgumentException(problem);
        SemiSyncConfig previous;
        SemiSyncTransition? transition;
        lock (_semiGate)
        {
            previous = _semiSync.Config;
            transition = _semiSync.Configure(next, NowUs());
        }
        if (previous != next)
            Publish("semisync-config", $"{changedBy} changed semi-sync settings: {Describe(previous)} -> {Describe(next)}.");
        Trace(SemiSyncTrace.General, "settings {Settings} by {ChangedBy}", Describe(next), changedBy);
        if (transition is not null)
            RecordSwitch(transition);
        PublishSemiSyncPositions();
        WakeSemiSyncTimer();
    }

    /// <summary>The semi-sync state for operators (INFO semisync, /api/cluster).</summary>
    public SemiSyncView SemiSyncView()
    {
        int clients = StreamingAcks().Count;
        long now = NowUs();
        lock (_semiGate)
        {
            var s = _semiSync;
            var last = _switches.Count > 0 ? _switches[^1] : null;
            return new SemiSyncView(s.Config.Enabled, s.Status, s.Config.WaitPoint, s.Config.WaitForSlaveCount, s.Config.TimeoutMs,
                (int)s.Config.TraceLevel, clients, s.YesTx, s.NoTx, s.NoTimes, Volatile.Read(ref _waitSessions),
                s.TxWaitCount == 0 ? 0 : s.TxWaitTotalUs / s.TxWaitCount, _netWaitCount == 0 ? 0 : _netWaitTotalUs / _netWaitCount,
                s.WaitPosition, s.QuorumAcked, last?.At, last?.Reason, _switches.ToArray(),
                _ackLatency.OrderBy(p => p.Key).Select(p => ToView(p.Key, p.Value.Summarize(now))).ToArray());
        }
    }

    private static AckLatencyView ToView(string slaveId, LatencySummary summary) =>
        new(slaveId, summary.Count, summary.P50Us, summary.P90Us, summary.P99Us, summary.MaxUs,
            summary.Buckets.Select(b => new LatencyBucket(b.UpToUs, b.Count)).ToArray());

    /// <summary>Moves the visible (read) and released (write reply) positions to what the rules allow now.</summary>
    private void PublishSemiSyncPositions()
    {
        BinlogPosition visible, released, logged;
        lock (_semiGate)
        {
            (visible, released, logged) = (_semiSync.Visible, _semiSync.Released, _semiSync.Logged);
            _semiSyncOn = _semiSync.Status;
            _semiSyncEnabled = _semiSync.Config.Enabled;
        }
        if (_settings.Faults.UnsafeSemiSyncVisibleBeforeAck)
            visible = logged; // UNSAFE, tests only: readers see writes no slave has acknowledged
        // Positions only move forward (both sides ignore a lower value), so the order of concurrent callers does not matter.
        lock (_gate)
            _pending.Commit(visible);
        _committed.Advance(visible);
        _released.Advance(released);
    }

    private void RecordSwitch(SemiSyncTransition transition)
    {
        var record = new SemiSyncSwitch(_time.GetUtcNow(), transition.On, transition.Reason);
        lock (_semiGate)
        {
            _switches.Add(record);
            if (_switches.Count > SwitchHistory)
                _switches.RemoveAt(0);
        }
        Publish(transition.On ? "semisync-on" : "semisync-off", $"Semi-sync switched {(transition.On ? "ON" : "OFF")}: {transition.Reason}.");
        _logger.LogWarning("Node {NodeId}: semi-sync switched {Status}: {Reason}", Id, transition.On ? "ON" : "OFF", transition.Reason);
    }

    private void WakeSemiSyncTimer() =>
        Interlocked.Exchange(ref _semiWake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Switches semi-sync OFF when the oldest waiting transaction has waited the timeout. Sleeps until that
    /// deadline, or until woken because something started waiting or the settings changed. A deadline further away
    /// than one timer can reach is slept towards in slices (<see cref="TimerSlices"/>), checking again after each.
    /// </summary>
    private async Task SemiSyncTimeoutLoopAsync(CancellationToken stopping)
    {
        Task? deadlineTimer = null;
        long armedFor = long.MaxValue;
        while (!stopping.IsCancellationRequested)
        {
            Faults.ThrowIfArmed(FaultPoint.KillSemiSyncTimeoutLoop);
            var wake = Volatile.Read(ref _semiWake).Task;
            long now = NowUs();
            long? deadline;
            SemiSyncTransition? transition;
            lock (_semiGate)
            {
                transition = _semiSync.CheckTimeout(now);
                deadline = _semiSync.NextDeadlineUs;
            }
            if (transition is not null)
            {
                RecordSwitch(transition);
                PublishSemiSyncPositions();
                continue;
            }
            if (deadline is long due && (deadlineTimer is null || due < armedFor))
            {
                armedFor = due;
                // Half a millisecond late rather than early: a timer that fires before the deadline finds nothing to do.
                deadlineTimer = Task.Delay(TimerSlices.FromMicroseconds(Deadlines.AddSaturating(due - now, 500)), _time, stopping);
            }
            try
            {
                if (deadlineTimer is null)
                {
                    await wake.WaitAsync(stopping); // nothing waits: sleep until something does
                    continue;
                }
                var fired = await Task.WhenAny(wake, deadlineTimer);
                if (fired == deadlineTimer)
                {
                    await deadlineTimer; // surfaces cancellation at shutdown
                    deadlineTimer = null;
                    armedFor = long.MaxValue;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Trace(SemiSyncTrace flag, string message, params object?[] args)
    {
        if ((_semiSync.Config.TraceLevel & flag) == 0)
            return;
#pragma warning disable CA2254 // the template is one of this file's constants
        _logger.LogInformation("Semi-sync trace [{Node}] " + message, [Id, .. args]);
#pragma warning restore CA2254
    }

    private static string Describe(SemiSyncConfig c) =>
        $"enabled={c.Enabled}, wait_point={SemiSyncConfig.MySqlName(c.WaitPoint)}, wait_for_slave_count={c.WaitForSlaveCount}, timeout={c.TimeoutMs} ms, trace_level={(int)c.TraceLevel}";

    // The node's clock in µs: the same readings as its sync sessions' send and ack times.
    private long NowUs() => _time.MonotonicMicroseconds();
}
