using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Time;

namespace ReplDash.Engine.Core.SemiSync;

/// <summary>A change of the semi-sync status (ON/OFF) and why.</summary>
public sealed record SemiSyncTransition(bool On, string Reason);

/// <summary>
/// The rules of lossless semi-synchronous replication on a master (lesson L4), on binlog positions:
/// a transaction is released (answered, and under AfterSync made visible) once it is durable here and
/// <see cref="SemiSyncConfig.WaitForSlaveCount"/> slaves have acknowledged a position at or past its end
/// (a slave's acknowledged position covers every transaction before it, so one ack releases a whole group).
/// When the oldest waiting transaction has waited <see cref="SemiSyncConfig.TimeoutMs"/>, the status turns
/// OFF and everything durable is released at once; it turns ON again when the quorum has caught up.
/// Pure and single-threaded: the node calls it under one lock and passes a monotonic clock in µs.
/// </summary>
public sealed class SemiSyncState
{
    // Transactions appended to the binlog, not yet durable: their ends, in binlog order.
    private readonly Queue<BinlogPosition> _appended = new();
    // Durable transactions not yet released, with the time they became durable (when their wait began).
    private readonly Queue<(BinlogPosition End, long LoggedAtUs)> _waiting = new();
    private IReadOnlyList<BinlogPosition> _lastAcks = [];
    // While OFF: the quorum must acknowledge this much (the durable end at the previous check) to switch ON.
    private BinlogPosition _catchUpTarget;
    private BinlogPosition _visible;

    /// <param name="config">Settings in force.</param>
    /// <param name="durableEnd">Where the binlog is durable at start: nothing before it waits.</param>
    /// <param name="startOn">False when the master has no slave to wait for (the status starts OFF).</param>
    public SemiSyncState(SemiSyncConfig config, BinlogPosition durableEnd, bool startOn = true)
    {
        Config = config;
        Status = config.Enabled && startOn;
        Logged = Released = QuorumAcked = _visible = _catchUpTarget = durableEnd;
    }

    public SemiSyncConfig Config { get; private set; }

    /// <summary>ON: transactions wait for the quorum. OFF: asynchronous replication.</summary>
    public bool Status { get; private set; }

    /// <summary>The binlog is durable (may be shipped) up to here.</summary>
    public BinlogPosition Logged { get; private set; }

    /// <summary>The highest position acknowledged by <see cref="SemiSyncConfig.WaitForSlaveCount"/> slaves.</summary>
    public BinlogPosition QuorumAcked { get; private set; }

    /// <summary>Write replies before this position may be sent.</summary>
    public BinlogPosition Released { get; private set; }

    /// <summary>Readers may see everything before this position: Released under AfterSync, Logged under AfterCommit.</summary>
    public BinlogPosition Visible => _visible;

    /// <summary>Where the oldest waiting transaction ends (default when nothing waits).</summary>
    public BinlogPosition WaitPosition => _waiting.TryPeek(out var oldest) ? oldest.End : default;

    public long YesTx { get; private set; }
    public long NoTx { get; private set; }
    public long NoTimes { get; private set; }
    public long TxWaitTotalUs { get; private set; }
    public long TxWaitCount { get; private set; }

    /// <summary>
    /// When the oldest waiting transaction times out (µs on the caller's clock), or null when none waits. Saturates:
    /// a timeout too long to represent is a deadline that never comes, never one in the past.
    /// </summary>
    public long? NextDeadlineUs => Status && _waiting.TryPeek(out var oldest) ? Deadlines.AfterMs(oldest.LoggedAtUs, Config.TimeoutMs) : null;

    /// <summary>A transaction was appended to the binlog (in binlog order).</summary>
    public void OnAppended(BinlogPosition end, long nowUs)
    {
        if (end > Logged)
        {
            _appended.Enqueue(end);
            return;
        }
        // The flusher made it durable before the node reported the append: it waits from now.
        _waiting.Enqueue((end, nowUs));
        Release(nowUs);
    }

    /// <summary>The binlog is durable up to <paramref name="logged"/>: the transactions it covers start waiting.</summary>
    public void OnLogged(BinlogPosition logged, long nowUs)
    {
        if (logged <= Logged)
            return;
        Logged = logged;
        while (_appended.TryPeek(out var end) && end <= logged)
            _waiting.Enqueue((_appended.Dequeue(), nowUs));
        Release(nowUs);
    }

    /// <summary>
    /// The acknowledged positions of every slave that streams now. Returns the switch to ON when the
    /// quorum has caught up after a timeout.
    /// </summary>
    public SemiSyncTransition? OnAcks(IReadOnlyList<BinlogPosition> slaveAcks, long nowUs)
    {
        _lastAcks = slaveAcks.ToArray();
        var quorum = QuorumOf(_lastAcks, Config.WaitForSlaveCount);
        QuorumAcked = BinlogPosition.Max(QuorumAcked, quorum);
        SemiSyncTransition? transition = null;
        if (!Status && Config.Enabled)
        {
            if (_lastAcks.Count >= Config.WaitForSlaveCount && quorum >= _catchUpTarget)
            {
                Status = true;
                transition = new SemiSyncTransition(true, $"{Config.WaitForSlaveCount} slave(s) caught up to {_catchUpTarget}");
            }
            else
                _catchUpTarget = Logged;
        }
        Release(nowUs);
        return transition;
    }

    /// <summary>Switches OFF when the oldest waiting transaction has waited the timeout.</summary>
    public SemiSyncTransition? CheckTimeout(long nowUs)
    {
        if (NextDeadlineUs is not long deadline || nowUs < deadline)
            return null;
        var oldest = _waiting.Peek().End;
        Status = false;
        NoTimes++;
        _catchUpTarget = Logged;
        Release(nowUs);
        return new SemiSyncTransition(false,
            $"timeout: no ack from {Config.WaitForSlaveCount} slave(s) within {Config.TimeoutMs} ms for the transaction ending at {oldest} (quorum acked {QuorumAcked}, {_lastAcks.Count} slave(s) streaming)");
    }

    /// <summary>Applies new settings; returns the switch they cause, if any.</summary>
    public SemiSyncTransition? Configure(SemiSyncConfig next, long nowUs)
    {
        var previous = Config;
        Config = next;
        SemiSyncTransition? transition = null;
        if (!next.Enabled && Status)
        {
            Status = false;
            transition = new SemiSyncTransition(false, "disabled by configuration");
        }
        else if (next.Enabled && !previous.Enabled)
        {
            Status = true;
            transition = new SemiSyncTransition(true, "enabled by configuration");
        }
        if (next.WaitForSlaveCount != previous.WaitForSlaveCount)
            QuorumAcked = BinlogPosition.Max(QuorumAcked, QuorumOf(_lastAcks, next.WaitForSlaveCount));
        Release(nowUs);
        return transition;
    }

    private void Release(long nowUs)
    {
        var target = Status ? BinlogPosition.Min(Logged, QuorumAcked) : Logged;
        Released = BinlogPosition.Max(Released, target);
        while (_waiting.TryPeek(out var waiting) && waiting.End <= Released)
        {
            _waiting.Dequeue();
            if (Status)
            {
                YesTx++;
                TxWaitTotalUs += nowUs - waiting.LoggedAtUs;
                TxWaitCount++;
            }
            else if (Config.Enabled)
                NoTx++;
        }
        var visible = Config.WaitPoint == SemiSyncWaitPoint.AfterSync ? Released : Logged;
        _visible = BinlogPosition.Max(_visible, visible);
    }

    /// <summary>The highest position at least <paramref name="count"/> of the slaves have acknowledged.</summary>
    public static BinlogPosition QuorumOf(IReadOnlyList<BinlogPosition> acks, int count)
    {
        if (count < 1 || acks.Count < count)
            return default;
        var sorted = acks.OrderByDescending(p => p).ToArray();
        return sorted[count - 1];
    }
}
