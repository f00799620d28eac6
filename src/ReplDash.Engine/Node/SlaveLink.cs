using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>
/// One slave's link as the master keeps it: the positions semi-sync's quorum and WAIT are computed from, what
/// retention must keep, and the figures the dashboard shows. Only its sync session writes it, through the methods
/// below, each under this link's own lock; semi-sync reads the acknowledged position through
/// <see cref="TryGetStreamingAck"/>, and everyone else reads an immutable <see cref="SlaveLinkStatus"/>
/// (<see cref="Snapshot"/>). No field is reachable from outside, so no reader can see half an update or change one.
/// </summary>
public sealed class SlaveLink(long linkId, string slaveId, string address, DateTimeOffset connectedAt)
{
    private readonly object _gate = new();
    private string _state = "handshake";
    private BinlogPosition _sentEnd;
    // The quorum's input: everything before it is in the slave's relay log durably (acknowledged). Written by
    // WindowMoved only.
    private BinlogPosition _ackedEnd;
    private BinlogPosition _slaveApplied;
    // After a full resync the window starts at the snapshot's tag, but nothing is in the slave's relay log or store
    // until it says so: such a link counts for semi-sync and WAIT from its first ack (found by the simulator, issue 16).
    private bool _firstAckPending;
    private BinlogPosition _protectFrom;
    private int _inFlightItems;
    private long _inFlightBytes;
    private long _lastAckLatencyMs;
    private long _windowCorruptions;
    private int _lastAckRangeItems;
    private long _lastAckRangeBytes;
    // UTC ticks of the last frame from the slave: written per frame without the lock (one long, never torn).
    private long _lastHeardUtcTicks = connectedAt.UtcTicks;

    /// <summary>This link's number on the master (unique since start).</summary>
    public long LinkId { get; } = linkId;

    /// <summary>The slave id its Hello named (and the master accepted).</summary>
    public string SlaveId { get; } = slaveId;

    /// <summary>The peer's address, ip:port.</summary>
    public string Address { get; } = address;

    /// <summary>When the link was registered, on the master's clock.</summary>
    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    /// <summary>handshake, sending-back, full-resync, streaming.</summary>
    public string State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>Binlog from here on must be kept for this link (it streams or will stream from here).</summary>
    public BinlogPosition ProtectFrom
    {
        get { lock (_gate) return _protectFrom; }
    }

    /// <summary>
    /// The quorum's input: true, with what the slave acknowledged (synced to its relay log), while the link streams;
    /// false before (its acknowledgement does not count yet).
    /// </summary>
    public bool TryGetStreamingAck(out BinlogPosition acked)
    {
        lock (_gate)
        {
            acked = _ackedEnd;
            return _state == "streaming" && !_firstAckPending;
        }
    }

    /// <summary>An immutable copy of everything about this link, taken at one instant.</summary>
    public SlaveLinkStatus Snapshot()
    {
        lock (_gate)
            return new SlaveLinkStatus(LinkId, SlaveId, Address, ConnectedAt, _state, _sentEnd, _ackedEnd, _slaveApplied, _protectFrom,
                _inFlightItems, _inFlightBytes, _lastAckLatencyMs, _windowCorruptions, _lastAckRangeItems, _lastAckRangeBytes,
                new DateTimeOffset(Volatile.Read(ref _lastHeardUtcTicks), TimeSpan.Zero));
    }

    /// <summary>The session moved on to <paramref name="state"/> (handshake, sending-back, full-resync, streaming).</summary>
    public void MoveTo(string state)
    {
        lock (_gate)
            _state = state;
    }

    /// <summary>Retention must keep the binlog from <paramref name="from"/> for this link.</summary>
    public void Protect(BinlogPosition from)
    {
        lock (_gate)
            _protectFrom = from;
    }

    /// <summary>
    /// The link streams from a snapshot it is being sent: until its first valid ack it does not count for semi-sync or
    /// WAIT, though its window starts at the snapshot's tag (the slave has not stored the snapshot yet).
    /// </summary>
    public void AwaitFirstAck()
    {
        lock (_gate)
            _firstAckPending = true;
    }

    /// <summary>
    /// The sync window moved (an item sent, a range acknowledged, or a TrySync that continues at a position the slave
    /// holds durably): the one writer of the acknowledged position. The binlog is kept from it on.
    /// </summary>
    public void WindowMoved(BinlogPosition sentEnd, BinlogPosition ackedEnd, int inFlightItems, long inFlightBytes)
    {
        lock (_gate)
        {
            _sentEnd = sentEnd;
            _ackedEnd = ackedEnd;
            _protectFrom = ackedEnd;
            _inFlightItems = inFlightItems;
            _inFlightBytes = inFlightBytes;
        }
    }

    /// <summary>
    /// A valid ack: the slave's applied position, its send-to-ack latency, and how much of the window it released
    /// (the dashboard draws each ack's width against the window: one wider than it is abnormal).
    /// </summary>
    public void Acknowledged(BinlogPosition slaveApplied, long latencyMs, int rangeItems, long rangeBytes)
    {
        lock (_gate)
        {
            _firstAckPending = false;
            _slaveApplied = slaveApplied;
            _lastAckLatencyMs = latencyMs;
            _lastAckRangeItems = rangeItems;
            _lastAckRangeBytes = rangeBytes;
        }
    }

    /// <summary>A heartbeat reported the slave's applied position.</summary>
    public void ReportedApplied(BinlogPosition slaveApplied)
    {
        lock (_gate)
            _slaveApplied = slaveApplied;
    }

    /// <summary>An ack on this link did not match the window (the session resets).</summary>
    public void CountWindowCorruption()
    {
        lock (_gate)
            _windowCorruptions++;
    }

    /// <summary>A frame arrived from the slave at <paramref name="at"/> (the master's clock).</summary>
    public void Heard(DateTimeOffset at) => Volatile.Write(ref _lastHeardUtcTicks, at.UtcTicks);
}
