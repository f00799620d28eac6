using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// The master's side of the replication protocol as a deterministic state machine, in etcd raft's manner: the driver
/// feeds it inputs (a client write proposed, the binlog synced up to a position, a link up or down, a frame received,
/// a snapshot taken, a tick with the time) and carries out what <see cref="TakeReady"/> returns, in the order written on
/// <see cref="MasterReady"/>. One session per link (handshake, TrySync, full resync, streaming inside the sync window);
/// semi-sync (<see cref="SemiSyncState"/>), the sync window (<see cref="SyncWindow"/>), TrySync (<see cref="TrySyncRules"/>),
/// heartbeats and the link timeout are parts of it. No socket, file, thread, clock or random number inside: time is the
/// <c>nowUs</c> every input carries (monotonic µs), a nonce comes from the driver.
/// </summary>
/// <remarks>
/// Also here, in partial files: taking items back from a slave ahead (SendBack and TailItems, lesson L5,
/// MasterMachine.SendBack.cs), the wait for the slaves before a restarted master accepts writes (MasterMachine.HealWait.cs),
/// WAIT with its prompt acks (MasterMachine.Wait.cs). Segment rotation is the log's (<see cref="IMasterLog.NextItemStart"/>).
/// What the adapter still does and the machine does not is listed in docs/ARCHITECTURE.md ("Left to the driver").
/// </remarks>
public sealed partial class MasterMachine
{
    private readonly MasterIdentity _identity;
    private readonly ProtocolOptions _options;
    private readonly IMasterLog _log;
    private readonly SemiSyncState _semi;
    private readonly Dictionary<long, MasterSession> _sessions = new();
    private readonly Queue<(long RequestId, BinlogPosition End)> _waitingWrites = new();
    private MasterReady _ready = new();
    private BinlogPosition _visible;

    /// <param name="identity">Who this master is and whom it accepts.</param>
    /// <param name="options">Protocol settings.</param>
    /// <param name="log">The binlog as the driver serves it.</param>
    /// <param name="end">Where the (recovered, durable) binlog ends.</param>
    /// <param name="lastSequence">The sequence of the last transaction in it.</param>
    /// <param name="committedThrough">
    /// What a restarted master knows readers were allowed to see before it stopped (the committed position its last
    /// checkpoint recorded); null for all of <paramref name="end"/>. The recovered tail beyond it waits like a durable
    /// write: under AfterSync with semi-sync ON it becomes visible once the quorum acknowledges it again, or when the
    /// semi-sync timeout switches OFF (see <see cref="RecoveredTail"/>).
    /// </param>
    /// <param name="nowUs">The time at start: the recovered tail's semi-sync wait begins now.</param>
    public MasterMachine(MasterIdentity identity, ProtocolOptions options, IMasterLog log, BinlogPosition end, long lastSequence,
        BinlogPosition? committedThrough = null, long nowUs = 0)
    {
        _identity = identity;
        _options = options;
        _log = log;
        var tailFrom = committedThrough is { } committed ? BinlogPosition.Min(committed, end) : end;
        _semi = new SemiSyncState(identity.SemiSync, tailFrom, startOn: identity.AcceptedSlaves.Count > 0);
        End = Durable = end;
        _visible = tailFrom;
        LastSequence = lastSequence;
        if (tailFrom < end)
        {
            RecoveredTail = (tailFrom, end);
            // The whole tail waits as one durable transaction, from now (as the engine's restarted master does).
            _semi.OnAppended(end, nowUs);
            _semi.OnLogged(end, nowUs);
            _ready.Events.Add(new ProtocolEvent("recovered-tail",
                $"Recovered binlog {tailFrom}..{end} beyond the last committed position: readers of its keys wait for the semi-sync rule."));
            // UNSAFE (tests only): the old rule, the whole recovered binlog counts as committed at once.
            if (_options.Has(UnsafeSwitches.RecoveredTailVisible))
                _visible = end;
        }
        AfterSemiSyncChange();
    }

    /// <summary>The recovered binlog beyond the committed position given at start (null: none), which waited as a write.</summary>
    public (BinlogPosition From, BinlogPosition To)? RecoveredTail { get; }

    /// <summary>Where the binlog ends, appended (not necessarily durable).</summary>
    public BinlogPosition End { get; private set; }

    /// <summary>Where the binlog is durable: nothing beyond is shipped.</summary>
    public BinlogPosition Durable { get; private set; }

    /// <summary>The sequence of the last transaction proposed.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Semi-sync ON (transactions wait for the quorum) or OFF.</summary>
    public bool SemiSyncOn => _semi.Status;

    /// <summary>The semi-sync settings in force.</summary>
    public SemiSyncConfig SemiSyncConfig => _semi.Config;

    /// <summary>The highest position <see cref="SemiSyncConfig.WaitForSlaveCount"/> streaming slaves acknowledged.</summary>
    public BinlogPosition QuorumAcked => _semi.QuorumAcked;

    /// <summary>Readers may see every write before this position.</summary>
    public BinlogPosition Visible => _visible;

    /// <summary>Every link, in no particular order.</summary>
    public IReadOnlyList<MasterSessionView> Sessions => _sessions.Values.Select(s => s.View()).ToArray();

    /// <summary>The binlog from here on must be kept (a link streams or will stream from here); null when no link needs any.</summary>
    public BinlogPosition? ProtectFloor
    {
        get
        {
            BinlogPosition? floor = null;
            foreach (var s in _sessions.Values)
                if (s.Phase != MasterSessionPhase.AwaitHello && (floor is null || s.ProtectFrom < floor))
                    floor = s.ProtectFrom;
            return floor;
        }
    }

    /// <summary>
    /// A client write ran against memory and produced <paramref name="commands"/> (its effects): they become the next
    /// binlog item. Its reply (<paramref name="requestId"/>) is released once the wait rule holds.
    /// </summary>
    /// <exception cref="InvalidOperationException">The master does not accept writes now (<see cref="AcceptsWrites"/>).</exception>
    public AppendItem Propose(long requestId, BinlogItemType type, long timestampMs, IReadOnlyList<byte[][]> commands, long nowUs)
    {
        if (!AcceptsWrites)
            throw new InvalidOperationException("the master refuses writes now (it waits for its slaves, or one sends back items)");
        var id = new TransactionId(_identity.MasterId, LastSequence + 1);
        var encoded = new ArrayBufferWriter<byte>(256);
        BinlogItemCodec.Encode(new BinlogItem(type, id, timestampMs, commands), encoded);
        LastSequence = id.Sequence;
        var append = new AppendItem(_log.NextItemStart(End), encoded.WrittenSpan.ToArray(), id);
        End = append.End;
        _ready.Appends.Add(append);
        _ready.SyncTo = End;
        _waitingWrites.Enqueue((requestId, End));
        _semi.OnAppended(End, nowUs);
        AfterSemiSyncChange();
        return append;
    }

    /// <summary>The binlog is durable up to <paramref name="durable"/>: it may be shipped, and its waits begin.</summary>
    public void OnSynced(BinlogPosition durable, long nowUs)
    {
        if (durable <= Durable)
            return;
        Durable = BinlogPosition.Min(durable, End);
        _semi.OnLogged(Durable, nowUs);
        AfterSemiSyncChange();
        foreach (var session in _sessions.Values.ToArray())
        {
            if (session.Phase == MasterSessionPhase.AwaitSnapshot)
                TrySendSnapshot(session, nowUs);
            else if (session.Phase == MasterSessionPhase.SendingBack)
                TryFinishSendBack(session, nowUs);
            else
                Pump(session, nowUs);
        }
    }

    /// <summary>A connection arrived; <paramref name="nonce"/> is the driver's fresh random challenge for it.</summary>
    public void OnLinkUp(long linkId, byte[] nonce, long nowUs)
    {
        var session = new MasterSession(linkId, nonce, nowUs);
        _sessions[linkId] = session;
        Send(session, new Greeting(ReplicationCodec.ProtocolVersion, _identity.MasterId, nonce, _identity.ClusterId), nowUs);
    }

    /// <summary>The connection of <paramref name="linkId"/> closed (the peer closed it, or it broke).</summary>
    public void OnLinkDown(long linkId, long nowUs)
    {
        if (_sessions.Remove(linkId, out var session))
            Ended(session, "the connection closed", nowUs);
    }

    /// <summary>A frame arrived on <paramref name="linkId"/>.</summary>
    public void OnFrame(long linkId, ReplicationMessage message, long nowUs)
    {
        if (!_sessions.TryGetValue(linkId, out var session))
            return; // a frame of a link this machine already closed
        session.LastHeardUs = nowUs;
        if (message is ErrorMessage tailError && session.Phase == MasterSessionPhase.SendingBack)
        {
            OnTailError(session, tailError, nowUs);
            return;
        }
        if (message is ErrorMessage error)
        {
            Close(session, $"the slave stopped the link: {error.Code}: {error.Message}", nowUs);
            return;
        }
        switch (session.Phase, message)
        {
            case (MasterSessionPhase.AwaitHello, Hello hello):
                OnHello(session, hello, nowUs);
                break;
            case (MasterSessionPhase.AwaitTrySync, TrySync request):
                OnTrySync(session, request, nowUs);
                break;
            case (MasterSessionPhase.SendingBack, TailItems tail):
                OnTailItems(session, tail, nowUs);
                break;
            case (MasterSessionPhase.Streaming, Ack ack):
                OnAck(session, ack, nowUs);
                break;
            case (not MasterSessionPhase.AwaitHello, Heartbeat heartbeat):
                session.SlaveApplied = heartbeat.Position;
                break;
            case (MasterSessionPhase.Streaming, CheckResultMessage):
                break; // consistency checks are the adapter's for now
            default:
                Close(session, $"unexpected {message.GetType().Name} while {session.Phase}", nowUs,
                    session.Phase == MasterSessionPhase.AwaitHello ? ReplicationErrorCodes.Refused : null);
                break;
        }
    }

    /// <summary>The driver took the snapshot this link asked for (<see cref="MasterReady.SnapshotRequests"/>).</summary>
    public void OnSnapshotReady(long linkId, MasterSnapshot snapshot, long nowUs)
    {
        if (!_sessions.TryGetValue(linkId, out var session) || session.Phase != MasterSessionPhase.AwaitSnapshot)
            return;
        session.Snapshot = snapshot;
        session.ProtectFrom = snapshot.Begin.Tag;
        TrySendSnapshot(session, nowUs);
    }

    /// <summary>Time passed: semi-sync timeout, link timeouts, heartbeats.</summary>
    public void Tick(long nowUs)
    {
        if (_semi.CheckTimeout(nowUs) is { } transition)
            Switched(transition);
        AfterSemiSyncChange();
        CheckHealWait(nowUs);
        AnswerWaits(nowUs);
        foreach (var session in _sessions.Values.ToArray())
        {
            long timeoutMs = session.Phase == MasterSessionPhase.AwaitHello ? _options.HandshakeTimeoutMs : _options.LinkTimeoutMs;
            if (nowUs - session.LastHeardUs >= timeoutMs * 1000)
            {
                _ready.Events.Add(new ProtocolEvent("link-timeout", $"Slave {session.SlaveId ?? "?"}: nothing heard for {timeoutMs} ms; dropping the link."));
                Close(session, "link timeout", nowUs);
            }
            else if (session.Phase == MasterSessionPhase.Streaming && nowUs - session.LastSentUs >= _options.HeartbeatMs * 1000)
                Send(session, new Heartbeat(nowUs / 1000, Durable), nowUs);
        }
    }

    /// <summary>New semi-sync settings (already validated by <see cref="SemiSyncConfig.Problem"/>).</summary>
    public void Configure(SemiSyncConfig config, long nowUs)
    {
        if (_semi.Configure(config, nowUs) is { } transition)
            Switched(transition);
        _ready.Events.Add(new ProtocolEvent("semisync-config", $"Semi-sync settings: {config}."));
        AfterSemiSyncChange();
    }

    /// <summary>Returns what to do since the last call (see <see cref="MasterReady"/> for the order) and starts a new one.</summary>
    public MasterReady TakeReady()
    {
        var ready = _ready;
        ready.NextTickUs = NextDeadlineUs();
        _ready = new MasterReady { Visible = _visible };
        return ready;
    }

    private void OnHello(MasterSession session, Hello hello, long nowUs)
    {
        string? refusal =
            hello.Version != ReplicationCodec.ProtocolVersion ? $"protocol version {hello.Version} is not {ReplicationCodec.ProtocolVersion}"
            : hello.ExpectedMasterId != _identity.MasterId ? $"this is node {_identity.MasterId}, not {hello.ExpectedMasterId}"
            : !SecretProof.Verify(_identity.Secret, session.Nonce, hello.Proof) ? "wrong replication secret"
            : !_identity.AcceptedSlaves.Contains(hello.SlaveId) ? $"slave id '{hello.SlaveId}' is not configured for master {_identity.MasterId}"
            : _sessions.Values.Any(s => s != session && s.SlaveId == hello.SlaveId) ? $"slave {hello.SlaveId} is already connected"
            : null;
        if (refusal is not null)
        {
            _ready.Events.Add(new ProtocolEvent("link-refused", $"Refused slave '{hello.SlaveId}': {refusal}."));
            Close(session, refusal, nowUs, ReplicationErrorCodes.Refused);
            return;
        }
        if (hello.ClusterId.Length > 0 && hello.ClusterId != _identity.ClusterId)
        {
            string reason = $"it holds data of cluster {hello.ClusterId}, this master's cluster is {_identity.ClusterId}";
            _ready.Events.Add(new ProtocolEvent("history-diverged", $"Refused slave '{hello.SlaveId}': {reason}."));
            Close(session, reason, nowUs, ReplicationErrorCodes.ClusterMismatch);
            return;
        }
        session.SlaveId = hello.SlaveId;
        session.Phase = MasterSessionPhase.AwaitTrySync;
        session.ProtectFrom = Durable; // until TrySync says where this slave continues
        Send(session, new Welcome(_identity.MasterId), nowUs);
        _ready.Events.Add(new ProtocolEvent("link-up", $"Slave {hello.SlaveId} connected."));
    }

    private void OnTrySync(MasterSession session, TrySync request, long nowUs)
    {
        if (QueueTrySyncWhileSendingBack(session, request))
            return; // answered once the other link's items are taken back
        var decision = DecideTrySync(request);
        _ready.Events.Add(new ProtocolEvent("trysync",
            $"Slave {session.SlaveId} TrySync at {request.Received} (last {request.LastReceived}): {decision.Outcome}, {decision.Reason}."));
        if (decision.Outcome == TrySyncOutcome.SendBack)
        {
            // Lesson L5: the slave holds what this master lost; take it back before anything else.
            StartSendBack(session, request, decision, nowUs);
            return;
        }
        SlaveReported(session.SlaveId, nowUs);
        Send(session, decision, nowUs);
        switch (decision.Outcome)
        {
            case TrySyncOutcome.Continue:
                StartStreaming(session, decision.From, confirmed: true, nowUs);
                break;
            case TrySyncOutcome.FullResync or TrySyncOutcome.NotBoundary:
                session.Phase = MasterSessionPhase.AwaitSnapshot;
                session.ProtectFrom = Durable;
                _ready.SnapshotRequests.Add(session.LinkId);
                break;
            default:
                // Diverged: the slave holds history this master cannot verify as its own (lesson L5): the link stops
                // and the slave keeps its data.
                _ready.Events.Add(new ProtocolEvent("history-diverged", $"Slave {session.SlaveId}: {decision.Reason}."));
                Close(session, decision.Reason, nowUs);
                break;
        }
    }

    private void TrySendSnapshot(MasterSession session, long nowUs)
    {
        // Anything shipped must be durable here, a snapshot's tag included.
        if (session.Snapshot is not { } snapshot || snapshot.Begin.Tag > Durable)
            return;
        _ready.Events.Add(new ProtocolEvent("full-resync-start", $"Full resync of {session.SlaveId}: {snapshot.Begin.KeyCount} keys at {snapshot.Begin.Tag}."));
        Send(session, snapshot.Begin, nowUs);
        foreach (var chunk in snapshot.Chunks)
            Send(session, chunk, nowUs);
        Send(session, snapshot.End, nowUs);
        session.Snapshot = null;
        StartStreaming(session, snapshot.Begin.Tag, confirmed: false, nowUs);
    }

    /// <param name="confirmed">True when the slave already holds <paramref name="from"/> durably (it synced its relay log
    /// that far before its TrySync). After a snapshot it is false: the snapshot is only sent, and the slave counts for
    /// semi-sync from its first ack (which it sends once the snapshot is swapped in).</param>
    private void StartStreaming(MasterSession session, BinlogPosition from, bool confirmed, long nowUs)
    {
        session.Window = new SyncWindow(_options.WindowItems, _options.WindowBytes);
        session.Window.Reset(from);
        session.Confirmed = confirmed;
        session.ProtectFrom = from;
        session.Phase = MasterSessionPhase.Streaming;
        OnAcksChanged(nowUs); // a slave that is caught up already counts for semi-sync
        Pump(session, nowUs);
    }

    /// <summary>Ships durable items from where this link's window ends, while the window has room.</summary>
    private void Pump(MasterSession session, long nowUs)
    {
        if (session.Phase != MasterSessionPhase.Streaming || session.Window is not { } window)
            return;
        while (window.SentEnd < Durable)
        {
            var items = _log.Read(window.SentEnd, Durable, _options.MaxBatchItems, _options.MaxBatchBytes);
            var batch = new List<ShippedItem>(items.Count);
            foreach (var item in items)
            {
                if (!window.HasRoomFor(item.Encoded.Length))
                    break;
                window.Sent(item.Start, item.End, item.Encoded.Length, nowUs);
                batch.Add(item);
            }
            if (batch.Count == 0)
                return;
            bool ackNow = window.IsHalfFull || _semi.Config.Enabled || _waits.Count > 0;
            Send(session, new ItemBatch(_log.LogicalOffsetOf(batch[0].Start), batch, ackNow), nowUs);
            if (batch.Count < items.Count)
                return; // the window is full: the next ack makes room
        }
    }

    /// <summary>An ack must release exactly a prefix of the window; anything else resets the session (never trusted).</summary>
    private void OnAck(MasterSession session, Ack ack, long nowUs)
    {
        var check = session.Window!.Ack(ack.RangeStart, ack.RangeEnd, nowUs);
        if (!check.Valid)
        {
            _ready.Events.Add(new ProtocolEvent("window-corruption", $"SyncWin corruption with slave {session.SlaveId}: {check.Problem}. Resetting the session."));
            Close(session, $"sync window corruption: {check.Problem}", nowUs);
            return;
        }
        session.SlaveApplied = ack.Applied;
        session.LastAckLatencyUs = check.Latency;
        session.Confirmed = true;
        session.ProtectFrom = session.Window.AckedEnd;
        OnAcksChanged(nowUs);
        Pump(session, nowUs);
    }

    /// <summary>Feeds what every streaming slave acknowledged (one position per slave id) to the semi-sync rules.</summary>
    private void OnAcksChanged(long nowUs)
    {
        var acks = new Dictionary<string, BinlogPosition>(StringComparer.Ordinal);
        foreach (var s in _sessions.Values)
            if (s.Phase == MasterSessionPhase.Streaming && s.Confirmed && s.SlaveId is { } id)
                acks[id] = acks.TryGetValue(id, out var other) ? BinlogPosition.Min(other, s.Window!.AckedEnd) : s.Window!.AckedEnd;
        if (_semi.OnAcks(acks.Values.ToArray(), nowUs) is { } transition)
            Switched(transition);
        AfterSemiSyncChange();
        AnswerWaits(nowUs);
    }

    private void Switched(SemiSyncTransition transition)
    {
        _ready.SemiSyncSwitches.Add(transition);
        _ready.Events.Add(new ProtocolEvent(transition.On ? "semisync-on" : "semisync-off",
            $"Semi-sync switched {(transition.On ? "ON" : "OFF")}: {transition.Reason}."));
    }

    /// <summary>Releases the writes the rules allow now and moves the visible position.</summary>
    private void AfterSemiSyncChange()
    {
        while (_waitingWrites.TryPeek(out var write) && write.End <= _semi.Released)
            _ready.Released.Add(_waitingWrites.Dequeue().RequestId);
        // UNSAFE (tests only): AfterCommit's visibility while the wait point is counted as lossless.
        var visible = _options.Has(UnsafeSwitches.AfterCommitVisibilityCountedAsLossless) ? _semi.Logged : _semi.Visible;
        _visible = BinlogPosition.Max(_visible, visible);
        _ready.Visible = _visible;
    }

    private void Send(MasterSession session, ReplicationMessage message, long nowUs)
    {
        _ready.Frames.Add(new LinkFrame(session.LinkId, message));
        session.LastSentUs = nowUs;
    }

    private void Close(MasterSession session, string reason, long nowUs, string? errorCode = null)
    {
        if (errorCode is not null)
            Send(session, new ErrorMessage(errorCode, reason), nowUs);
        _ready.Closes.Add(new LinkClose(session.LinkId, reason));
        if (_sessions.Remove(session.LinkId))
            Ended(session, reason, nowUs);
    }

    private void Ended(MasterSession session, string reason, long nowUs)
    {
        if (session.SlaveId is not null)
            _ready.Events.Add(new ProtocolEvent("link-down", $"Slave {session.SlaveId} disconnected: {reason}."));
        if (session.Phase == MasterSessionPhase.Streaming)
            OnAcksChanged(nowUs);
        SendBackEnded(session, nowUs);
    }

    private long? NextDeadlineUs()
    {
        long? next = _semi.NextDeadlineUs;
        if (WaitDeadline() is long wait)
            next = Earliest(next, wait);
        if (_slavesHeard is not null)
            next = Earliest(next, _healWaitUntilUs);
        foreach (var s in _sessions.Values)
        {
            long timeoutMs = s.Phase == MasterSessionPhase.AwaitHello ? _options.HandshakeTimeoutMs : _options.LinkTimeoutMs;
            next = Earliest(next, s.LastHeardUs + timeoutMs * 1000);
            if (s.Phase == MasterSessionPhase.Streaming)
                next = Earliest(next, s.LastSentUs + _options.HeartbeatMs * 1000);
        }
        return next;
    }

    internal static long? Earliest(long? a, long b) => a is long x && x <= b ? x : b;
}
