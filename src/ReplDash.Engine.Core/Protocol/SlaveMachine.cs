using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>Where a slave's link stands (docs/ARCHITECTURE.md, "The slave machine").</summary>
public enum SlavePhase
{
    /// <summary>No link; reconnects after the backoff.</summary>
    Down,
    /// <summary>Lesson L1: waiting for every apply in flight before it reports a position.</summary>
    Draining,
    /// <summary>Dialled; waiting for the connection.</summary>
    Connecting,
    /// <summary>Connected; waiting for the master's Greeting.</summary>
    AwaitGreeting,
    /// <summary>Hello sent; waiting for Welcome.</summary>
    AwaitWelcome,
    /// <summary>Welcome received; syncing the relay log up to what TrySync will report.</summary>
    SyncingForTrySync,
    /// <summary>TrySync sent.</summary>
    AwaitTrySyncReply,
    /// <summary>A full resync: snapshot frames arrive.</summary>
    ReceivingSnapshot,
    /// <summary>The snapshot is whole; the driver loads and swaps it in.</summary>
    LoadingSnapshot,
    /// <summary>Receiving items, acknowledging durable ranges.</summary>
    Streaming,
    /// <summary>The master refused this slave's history: stopped until an operator asks for a full resync (lesson L5).</summary>
    Diverged,
}

/// <summary>What a slave holds when its machine starts (after recovery: relay log checked, data loaded, relay replayed).</summary>
/// <param name="Received">Where the relay log ends (all of it written and synced by recovery).</param>
/// <param name="Applied">What the data reflects.</param>
public sealed record SlaveStart(PositionMark Received, PositionMark Applied);

/// <summary>
/// The slave's side of the replication protocol as a deterministic state machine (see <see cref="MasterMachine"/> for the
/// manner): reconnect with backoff, drain applies in flight, handshake, TrySync from the synced relay end, load a
/// snapshot when told, then append received items to the relay log, queue them for apply, and acknowledge each range
/// once the relay log is synced past it (at once when a batch says AckNow, else coalesced for AckCoalesceMs);
/// heartbeats, the link timeout and periodic checkpoints (data and applied position together) are driven by ticks.
/// </summary>
public sealed partial class SlaveMachine
{
    private readonly SlaveIdentity _identity;
    private readonly ProtocolOptions _options;
    private readonly Queue<ApplyItem> _inFlight = new();
    private readonly List<ItemBatch> _heldBatches = new();
    private SlaveReady _ready = new();
    private long _linkId;
    private long _lastHeardUs, _lastSentUs;
    private long _reconnectAtUs;
    private long _backoffMs;
    private bool _refused;
    private bool _fullResyncRequested;
    private string _clusterId;
    private string _greetingClusterId = "";
    private SnapshotBegin? _snapshot;
    // Streaming: where the session's stream started, the last item end received in it, and the ack state.
    private BinlogPosition _streamFrom, _sessionEnd, _ackStart;
    private bool _firstAck;
    private bool _ackDue;
    private long? _coalesceDeadlineUs;
    private BinlogPosition? _ackWaitsForSync;
    private long _nextCheckpointUs;
    private bool _checkpointWanted;
    private BinlogPosition _lastCheckpoint;

    public SlaveMachine(SlaveIdentity identity, ProtocolOptions options, SlaveStart start, long nowUs)
    {
        _identity = identity;
        _options = options;
        _clusterId = identity.ClusterId;
        // A default mark (a new slave) names no transaction: the wire needs TransactionId.None, not a null origin.
        Received = start.Received.LastId.Origin is null ? start.Received with { LastId = TransactionId.None } : start.Received;
        Applied = start.Applied.LastId.Origin is null ? start.Applied with { LastId = TransactionId.None } : start.Applied;
        RelaySynced = start.Received.Position;
        _lastCheckpoint = start.Applied.Position;
        _backoffMs = options.MinBackoffMs;
        _reconnectAtUs = nowUs;
        _nextCheckpointUs = nowUs + options.CheckpointIntervalMs * 1000;
    }

    /// <summary>Where the link stands.</summary>
    public SlavePhase Phase { get; private set; } = SlavePhase.Down;

    /// <summary>Where the relay log ends (written), with the last transaction in it.</summary>
    public PositionMark Received { get; private set; }

    /// <summary>What the data reflects (reported by the driver's applier).</summary>
    public PositionMark Applied { get; private set; }

    /// <summary>Where the relay log is durable.</summary>
    public BinlogPosition RelaySynced { get; private set; }

    /// <summary>End of the last range acknowledged to the master in this session.</summary>
    public BinlogPosition AckedEnd => _ackStart;

    /// <summary>The master's durable end, from its heartbeats and batches (for lag).</summary>
    public BinlogPosition MasterEnd { get; private set; }

    /// <summary>The cluster whose data this slave holds (adopted from the master).</summary>
    public string ClusterId => _clusterId;

    /// <summary>Items handed to the applier and not reported applied yet.</summary>
    public int AppliesInFlight => _inFlight.Count;

    /// <summary>Starts the first connection attempt (as after a backoff that has passed).</summary>
    public void Start(long nowUs) => TryReconnect(nowUs);

    /// <summary>The connection asked for with <see cref="SlaveReady.Dial"/> is up; it is known as <paramref name="linkId"/>.</summary>
    public void OnConnected(long linkId, long nowUs)
    {
        if (Phase != SlavePhase.Connecting)
            return;
        _linkId = linkId;
        _lastHeardUs = _lastSentUs = nowUs;
        Phase = SlavePhase.AwaitGreeting;
    }

    /// <summary>The connection asked for could not be made.</summary>
    public void OnConnectFailed(long nowUs)
    {
        if (Phase == SlavePhase.Connecting)
            GoDown("connect failed", nowUs, announce: false);
    }

    /// <summary>The link closed or broke.</summary>
    public void OnLinkDown(long linkId, long nowUs)
    {
        if (linkId == _linkId && _linkId != 0)
            GoDown("the connection closed", nowUs, announce: true);
    }

    /// <summary>A frame arrived on <paramref name="linkId"/>.</summary>
    public void OnFrame(long linkId, ReplicationMessage message, long nowUs)
    {
        if (linkId != _linkId || _linkId == 0)
            return;
        _lastHeardUs = nowUs;
        if (message is ErrorMessage error)
        {
            _refused = true;
            _ready.Events.Add(new ProtocolEvent(Phase <= SlavePhase.AwaitWelcome ? "link-refused" : "link-error",
                $"Master {_identity.MasterId} stopped the link: {error.Code}: {error.Message}."));
            if (error.Code == ReplicationErrorCodes.ClusterMismatch)
            {
                StopDiverged(error.Message, nowUs);
                return;
            }
            CloseLink($"{error.Code}: {error.Message}", nowUs);
            return;
        }
        if (message is Heartbeat heartbeat)
        {
            if (Phase >= SlavePhase.AwaitTrySyncReply && heartbeat.Position > MasterEnd)
                MasterEnd = heartbeat.Position;
            return;
        }
        switch (Phase, message)
        {
            case (SlavePhase.AwaitGreeting, Greeting greeting):
                _greetingClusterId = greeting.ClusterId;
                Send(new Hello(ReplicationCodec.ProtocolVersion, _identity.SlaveId, _identity.MasterId,
                    SecretProof.Compute(_identity.Secret, greeting.Nonce), _fullResyncRequested ? "" : _clusterId), nowUs);
                Phase = SlavePhase.AwaitWelcome;
                break;
            case (SlavePhase.AwaitWelcome, Welcome):
                if (_clusterId.Length == 0)
                    _clusterId = _greetingClusterId;
                _refused = false;
                _ready.Events.Add(new ProtocolEvent("link-up", $"Linked to master {_identity.MasterId}."));
                AskTrySync(nowUs);
                break;
            case (SlavePhase.AwaitTrySyncReply, TrySyncReply reply):
                OnTrySyncReply(reply, nowUs);
                break;
            case (SlavePhase.ReceivingSnapshot, SnapshotBegin begin):
                _snapshot = begin;
                _ready.SnapshotBegin = begin;
                _ready.Events.Add(new ProtocolEvent("full-resync-start", $"Receiving a snapshot of {begin.KeyCount} keys at {begin.Tag}."));
                break;
            case (SlavePhase.ReceivingSnapshot, SnapshotChunk chunk) when _snapshot is not null:
                _ready.SnapshotChunks.Add(chunk);
                break;
            case (SlavePhase.ReceivingSnapshot, SnapshotEnd end) when _snapshot is not null:
                _ready.SnapshotCommit = new SnapshotCommit(_snapshot, end.Digest);
                Phase = SlavePhase.LoadingSnapshot;
                break;
            case (SlavePhase.LoadingSnapshot, ItemBatch batch):
                _heldBatches.Add(batch); // streaming continues from the tag once the data is swapped in
                break;
            case (SlavePhase.Streaming, ItemBatch batch):
                Receive(batch, nowUs);
                break;
            default:
                CloseLink($"unexpected {message.GetType().Name} while {Phase}", nowUs);
                break;
        }
    }

    /// <summary>The relay log is durable up to <paramref name="synced"/>.</summary>
    public void OnRelaySynced(BinlogPosition synced, long nowUs)
    {
        if (synced <= RelaySynced)
            return;
        RelaySynced = synced;
        if (Phase == SlavePhase.SyncingForTrySync && RelaySynced >= Received.Position)
            SendTrySync(nowUs);
        if (Phase == SlavePhase.Streaming && _ackWaitsForSync is { } end && RelaySynced >= BinlogPosition.Min(end, Received.Position))
        {
            SendAck(end, nowUs);
            TryAck(nowUs);
        }
        TryCheckpoint();
    }

    /// <summary>The applier has applied every item up to <paramref name="end"/> (in order).</summary>
    public void OnApplied(BinlogPosition end, long nowUs)
    {
        while (_inFlight.TryPeek(out var item) && item.End <= end)
        {
            _inFlight.Dequeue();
            if (item.End >= Applied.Position)
                Applied = new PositionMark(item.End, item.EndLogical, item.Item.Id);
        }
        if (_options.Has(UnsafeSwitches.AppliedPositionOutsideData))
            _ready.AppliedPositionFile = Applied;
        if (Phase == SlavePhase.Draining && _inFlight.Count == 0)
            Dial();
    }

    /// <summary>The snapshot of <see cref="SlaveReady.SnapshotCommit"/> is swapped in: data, store and relay log are at its tag.</summary>
    public void OnSnapshotLoaded(long nowUs)
    {
        if (_snapshot is not { } begin)
            return;
        var mark = new PositionMark(begin.Tag, begin.TagLogical, begin.TagId);
        Received = Applied = mark;
        RelaySynced = begin.Tag;
        _lastCheckpoint = begin.Tag;
        _inFlight.Clear();
        _snapshot = null;
        _fullResyncRequested = false;
        _clusterId = _greetingClusterId.Length > 0 ? _greetingClusterId : _clusterId;
        _ready.Events.Add(new ProtocolEvent("full-resync-end", $"Snapshot loaded; streaming from {begin.Tag}."));
        if (Phase != SlavePhase.LoadingSnapshot)
            return; // the link went down meanwhile: the next TrySync continues from the tag
        StartStreaming(begin.Tag, nowUs);
        var held = _heldBatches.ToArray();
        _heldBatches.Clear();
        foreach (var batch in held)
            if (Phase == SlavePhase.Streaming)
                Receive(batch, nowUs);
    }

    /// <summary>The snapshot could not be loaded (digest mismatch, disk...): the link reconnects and TrySync decides again.</summary>
    public void OnSnapshotFailed(string reason, long nowUs)
    {
        _snapshot = null;
        _ready.Events.Add(new ProtocolEvent("full-resync-failed", $"Full resync failed: {reason}."));
        if (Phase is SlavePhase.LoadingSnapshot or SlavePhase.ReceivingSnapshot)
            CloseLink($"full resync failed: {reason}", nowUs);
    }

    /// <summary>An operator asked for a full resync: the next TrySync asks for a snapshot, whatever the position.</summary>
    public void RequestFullResync(long nowUs)
    {
        _fullResyncRequested = true;
        _ready.Events.Add(new ProtocolEvent("full-resync-requested", "A full resync was requested; reconnecting."));
        if (Phase == SlavePhase.Diverged)
        {
            Phase = SlavePhase.Down;
            _reconnectAtUs = nowUs;
            TryReconnect(nowUs);
        }
        else if (_linkId != 0)
            CloseLink("an operator asked for a full resync", nowUs);
    }

    /// <summary>Time passed: reconnect, link timeout, coalesced acks, heartbeats, checkpoints.</summary>
    public void Tick(long nowUs)
    {
        if (Phase == SlavePhase.Down && nowUs >= _reconnectAtUs)
            TryReconnect(nowUs);
        if (_linkId != 0 && nowUs - _lastHeardUs >= _options.LinkTimeoutMs * 1000)
        {
            _ready.Events.Add(new ProtocolEvent("link-timeout", $"Master: nothing heard for {_options.LinkTimeoutMs} ms; reconnecting."));
            CloseLink("link timeout", nowUs);
        }
        if (Phase == SlavePhase.Streaming)
        {
            if (_coalesceDeadlineUs is long due && nowUs >= due)
            {
                _ackDue = true;
                _coalesceDeadlineUs = null; // due now; a pending relay sync sends it
            }
            TryAck(nowUs);
            if (nowUs - _lastSentUs >= _options.HeartbeatMs * 1000)
                Send(new Heartbeat(nowUs / 1000, Applied.Position), nowUs);
        }
        if (nowUs >= _nextCheckpointUs)
        {
            _nextCheckpointUs = nowUs + _options.CheckpointIntervalMs * 1000;
            if (Applied.Position > _lastCheckpoint)
                _checkpointWanted = true;
            TryCheckpoint();
        }
    }

    /// <summary>Returns what to do since the last call (see <see cref="SlaveReady"/> for the order) and starts a new one.</summary>
    public SlaveReady TakeReady()
    {
        var ready = _ready;
        ready.NextTickUs = NextDeadlineUs();
        _ready = new SlaveReady();
        return ready;
    }

    private void TryReconnect(long nowUs)
    {
        if (Phase != SlavePhase.Down || nowUs < _reconnectAtUs)
            return;
        // Lesson L1: whatever the previous session left in flight is applied before this one reports a position.
        if (_inFlight.Count > 0 && !_options.Has(UnsafeSwitches.FirstAckWithoutDrain))
        {
            Phase = SlavePhase.Draining;
            return;
        }
        Dial();
    }

    private void Dial()
    {
        Phase = SlavePhase.Connecting;
        _ready.Dial = true;
    }

    private void AskTrySync(long nowUs)
    {
        if (_options.Has(UnsafeSwitches.FirstAckWithoutDrain))
        {
            // UNSAFE legacy behaviour (Pika): the position read while applies may still be in flight.
            Send(new TrySync(Applied.Position, Applied.LogicalOffset, Applied.LastId, Applied.Position), nowUs);
            Phase = SlavePhase.AwaitTrySyncReply;
            return;
        }
        if (RelaySynced >= Received.Position)
        {
            SendTrySync(nowUs);
            return;
        }
        Phase = SlavePhase.SyncingForTrySync;
        RequestRelaySync(Received.Position);
    }

    private void SendTrySync(long nowUs)
    {
        Send(new TrySync(Received.Position, Received.LogicalOffset, Received.LastId, Applied.Position, _fullResyncRequested), nowUs);
        Phase = SlavePhase.AwaitTrySyncReply;
    }

    private void OnTrySyncReply(TrySyncReply reply, long nowUs)
    {
        _ready.Events.Add(new ProtocolEvent("trysync", $"TrySync: {reply.Outcome} ({reply.Reason})."));
        switch (reply.Outcome)
        {
            case TrySyncOutcome.Continue:
                StartStreaming(reply.From, nowUs);
                break;
            case TrySyncOutcome.FullResync or TrySyncOutcome.NotBoundary:
                Phase = SlavePhase.ReceivingSnapshot;
                break;
            case TrySyncOutcome.SendBack:
                AskTailRead(reply); // SlaveMachine.SendBack.cs
                break;
            default:
                StopDiverged(reply.Reason, nowUs);
                break;
        }
    }

    private void StartStreaming(BinlogPosition from, long nowUs)
    {
        Phase = SlavePhase.Streaming;
        _streamFrom = _sessionEnd = _ackStart = from;
        _firstAck = true;
        _ackDue = false;
        _coalesceDeadlineUs = null;
        _ackWaitsForSync = null;
        _backoffMs = _options.MinBackoffMs; // a link that reached streaming resets the backoff
        if (from > MasterEnd)
            MasterEnd = from;
    }

    /// <summary>Every item must continue the relay log exactly (or, for an empty relay log, start where the stream starts).</summary>
    private void Receive(ItemBatch batch, long nowUs)
    {
        long logical = batch.StartLogical;
        foreach (var shipped in batch.Items)
        {
            if (BinlogItemCodec.TryDecode(shipped.Encoded, out var item, out int size) != ItemDecodeStatus.Ok || size != shipped.Encoded.Length)
            {
                CloseLink($"item at {shipped.Start} failed its checksum on arrival", nowUs);
                return;
            }
            logical += size;
            _sessionEnd = shipped.End;
            if (shipped.Start < Received.Position && _options.Has(UnsafeSwitches.FirstAckWithoutDrain))
            {
                // UNSAFE legacy behaviour: the slave already has this item, and applies it again.
                Queue(new ApplyItem(shipped.Start, shipped.End, logical, item!));
                continue;
            }
            var expected = Received.Position == BinlogPosition.Zero ? _streamFrom : Received.Position;
            if (!ContinuesRelay(expected, shipped.Start)) // SlaveMachine.SendBack.cs: or the next segment's first item
            {
                CloseLink($"item at {shipped.Start} does not continue the relay log ending at {expected}", nowUs);
                return;
            }
            _ready.RelayAppends.Add(new AppendItem(shipped.Start, shipped.Encoded, item!.Id));
            Received = new PositionMark(shipped.End, logical, item.Id);
            Queue(new ApplyItem(shipped.Start, shipped.End, logical, item));
        }
        if (batch.Items.Count > 0 && batch.Items[^1].End > MasterEnd)
            MasterEnd = batch.Items[^1].End;
        if (batch.AckNow || _options.AckCoalesceMs == 0)
            _ackDue = true;
        else if (batch.Items.Count > 0 && _coalesceDeadlineUs is null)
            _coalesceDeadlineUs = nowUs + _options.AckCoalesceMs * 1000;
        TryAck(nowUs);
    }

    private void Queue(ApplyItem item)
    {
        _inFlight.Enqueue(item);
        _ready.Applies.Add(item);
    }

    /// <summary>When an ack is due, asks for the relay sync it needs; the ack goes out once the sync is reported.</summary>
    private void TryAck(long nowUs)
    {
        if (Phase != SlavePhase.Streaming || _ackWaitsForSync is not null || !_ackDue)
            return;
        _ackDue = false;
        _coalesceDeadlineUs = null;
        var end = _sessionEnd;
        if (end <= _ackStart)
            return;
        if (RelaySynced >= BinlogPosition.Min(end, Received.Position))
        {
            SendAck(end, nowUs);
            return;
        }
        _ackWaitsForSync = end;
        RequestRelaySync(BinlogPosition.Min(end, Received.Position));
    }

    private void SendAck(BinlogPosition end, long nowUs)
    {
        Send(new Ack(_ackStart, end, Applied.Position, _firstAck), nowUs);
        _firstAck = false;
        _ackStart = end;
        _ackWaitsForSync = null;
    }

    private void TryCheckpoint()
    {
        if (!_checkpointWanted)
            return;
        if (RelaySynced >= Applied.Position)
        {
            _ready.Checkpoint = Applied;
            _lastCheckpoint = Applied.Position;
            _checkpointWanted = false;
        }
        else
            RequestRelaySync(Applied.Position);
    }

    private void RequestRelaySync(BinlogPosition position)
    {
        if (_ready.RelaySyncTo is not { } asked || asked < position)
            _ready.RelaySyncTo = position;
    }

    private void StopDiverged(string reason, long nowUs)
    {
        _ready.Events.Add(new ProtocolEvent("history-diverged", $"{reason}. This slave keeps its data; replication stays stopped until an operator asks for a full resync."));
        CloseLink(reason, nowUs);
        Phase = SlavePhase.Diverged;
    }

    private void CloseLink(string reason, long nowUs)
    {
        if (_linkId != 0)
            _ready.Close = new LinkClose(_linkId, reason);
        GoDown(reason, nowUs, announce: true);
    }

    private void GoDown(string reason, long nowUs, bool announce)
    {
        bool streamed = Phase == SlavePhase.Streaming;
        if (announce && Phase >= SlavePhase.AwaitTrySyncReply)
            _ready.Events.Add(new ProtocolEvent("link-down", $"Link to master {_identity.MasterId} down: {reason}."));
        _linkId = 0;
        _heldBatches.Clear();
        _ackWaitsForSync = null;
        _ackDue = false;
        _coalesceDeadlineUs = null;
        if (Phase is SlavePhase.ReceivingSnapshot)
            _snapshot = null;
        Phase = SlavePhase.Down;
        // A master that refused will not change its mind at once: wait the longest; a link that streamed retries soon.
        _backoffMs = streamed ? _options.MinBackoffMs
            : _refused ? _options.MaxBackoffMs
            : Math.Min(_options.MaxBackoffMs, _backoffMs * 2);
        _reconnectAtUs = nowUs + _backoffMs * 1000;
    }

    private void Send(ReplicationMessage message, long nowUs)
    {
        _ready.Frames.Add(new LinkFrame(_linkId, message));
        _lastSentUs = nowUs;
    }

    private long? NextDeadlineUs()
    {
        long? next = _nextCheckpointUs;
        if (Phase == SlavePhase.Down)
            next = MasterMachine.Earliest(next, _reconnectAtUs);
        if (_linkId != 0)
            next = MasterMachine.Earliest(next, _lastHeardUs + _options.LinkTimeoutMs * 1000);
        if (Phase == SlavePhase.Streaming)
        {
            next = MasterMachine.Earliest(next, _lastSentUs + _options.HeartbeatMs * 1000);
            if (_coalesceDeadlineUs is long due)
                next = MasterMachine.Earliest(next, due);
        }
        return next;
    }
}
