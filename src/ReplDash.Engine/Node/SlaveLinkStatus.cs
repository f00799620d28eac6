using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>One slave's link as the master saw it at one instant (<see cref="SlaveLink.Snapshot"/>): immutable.</summary>
/// <param name="LinkId">The link's number on the master.</param>
/// <param name="SlaveId">The slave id its Hello named.</param>
/// <param name="Address">The peer's address, ip:port.</param>
/// <param name="ConnectedAt">When the link was registered.</param>
/// <param name="State">handshake, sending-back, full-resync, streaming.</param>
/// <param name="SentEnd">End of the last item sent.</param>
/// <param name="AckedEnd">End of what the slave acknowledged (synced to its relay log).</param>
/// <param name="SlaveApplied">What the slave last reported applied.</param>
/// <param name="ProtectFrom">Binlog from here on is kept for this link.</param>
/// <param name="InFlightItems">Items sent and not acknowledged.</param>
/// <param name="InFlightBytes">Bytes sent and not acknowledged.</param>
/// <param name="LastAckLatencyMs">Send-to-ack time of the last acknowledged item.</param>
/// <param name="WindowCorruptions">Acks refused on this link because they did not match the window.</param>
/// <param name="LastAckRangeItems">Items the last valid ack released from the window (its range width).</param>
/// <param name="LastAckRangeBytes">Bytes the last valid ack released from the window.</param>
/// <param name="LastHeard">When the last frame from the slave arrived (its registration before any).</param>
public sealed record SlaveLinkStatus(long LinkId, string SlaveId, string Address, DateTimeOffset ConnectedAt, string State,
    BinlogPosition SentEnd, BinlogPosition AckedEnd, BinlogPosition SlaveApplied, BinlogPosition ProtectFrom, int InFlightItems,
    long InFlightBytes, long LastAckLatencyMs, long WindowCorruptions, int LastAckRangeItems, long LastAckRangeBytes,
    DateTimeOffset LastHeard);
