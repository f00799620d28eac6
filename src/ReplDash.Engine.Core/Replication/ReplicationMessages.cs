using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Replication;

/// <summary>
/// One message of the replication protocol (docs/REPLICATION-PROTOCOL.md). Every frame on the wire is
/// <c>u32 length | u8 type | body</c>, little-endian; the length counts the type byte and the body.
/// </summary>
public abstract record ReplicationMessage;

/// <summary>
/// Master → slave, first frame: <c>u16 version | str masterId | bytes[16] nonce | str clusterId</c>. The cluster id
/// was chosen at the master's first start; a slave adopts it on its first link (docs/REPLICATION-PROTOCOL.md).
/// </summary>
public sealed record Greeting(ushort Version, string MasterId, byte[] Nonce, string ClusterId) : ReplicationMessage;

/// <summary>
/// Slave → master: <c>u16 version | str slaveId | str expectedMasterId | bytes[32] proof | str clusterId</c>, where
/// proof is HMAC-SHA256(secret, nonce): the secret itself never crosses the wire. <paramref name="ClusterId"/> is the
/// cluster whose data the slave holds, empty when it holds none yet (or when an operator asked it to discard its
/// data with a full resync).
/// </summary>
public sealed record Hello(ushort Version, string SlaveId, string ExpectedMasterId, byte[] Proof, string ClusterId) : ReplicationMessage;

/// <summary>Master → slave: the handshake is accepted. <c>str masterId</c>.</summary>
public sealed record Welcome(string MasterId) : ReplicationMessage;

/// <summary>Either side: a refusal; the sender closes the link after it. <c>str code | str message</c>.</summary>
public sealed record ErrorMessage(string Code, string Message) : ReplicationMessage;

/// <summary>
/// Slave → master: where the slave's durable relay log ends (in the master's coordinates), the last
/// transaction it holds, and what it has applied; or a request for a full resync (an operator asked).
/// <c>pos received | i64 receivedLogical | gtid lastReceived | pos applied | u8 fullResyncRequested</c>
/// </summary>
public sealed record TrySync(BinlogPosition Received, long ReceivedLogical, TransactionId LastReceived, BinlogPosition Applied,
    bool FullResyncRequested = false) : ReplicationMessage;

/// <summary>What the master decided about a TrySync.</summary>
public enum TrySyncOutcome : byte
{
    /// <summary>Streaming continues from the slave's position.</summary>
    Continue = 1,
    /// <summary>The position is purged, unknown, or from another history: a snapshot follows.</summary>
    FullResync = 2,
    /// <summary>"offset is not a start point of the master's binlog": refused; a snapshot follows.</summary>
    NotBoundary = 3,
    /// <summary>
    /// The slave holds items beyond the master's binlog end (the master lost its tail): the slave sends its relay
    /// items from <see cref="TrySyncReply.From"/> to its end as <see cref="TailItems"/>; the master verifies them as its
    /// own, appends them and answers the TrySync again (lesson L5).
    /// </summary>
    SendBack = 4,
    /// <summary>
    /// The slave holds history the master cannot verify as its own: the link stops and the slave keeps its data
    /// until an operator decides (a full resync requested by the operator is the way out).
    /// </summary>
    Diverged = 5,
}

/// <summary>Master → slave: <c>u8 outcome | pos from | str reason</c>.</summary>
public sealed record TrySyncReply(TrySyncOutcome Outcome, BinlogPosition From, string Reason) : ReplicationMessage;

/// <summary>
/// Slave → master, after a <see cref="TrySyncOutcome.SendBack"/>: relay-log items, byte-identical to what the slave
/// holds, from where the master asked to the slave's durable relay end. <paramref name="Final"/> marks the last frame.
/// <c>u8 final | i32 count | count × (pos start | bytes item)</c>
/// </summary>
public sealed record TailItems(IReadOnlyList<ShippedItem> Items, bool Final) : ReplicationMessage;

/// <summary>One encoded binlog item and where it starts in the master's binlog.</summary>
public readonly record struct ShippedItem(BinlogPosition Start, byte[] Encoded)
{
    public BinlogPosition End => Start with { Offset = Start.Offset + Encoded.Length };
}

/// <summary>
/// Master → slave: consecutive binlog items, byte-identical to the master's binlog. <paramref name="AckNow"/>:
/// the master is waiting for this batch's ack (semi-sync, WAIT, a filling window), so the slave syncs its relay
/// log and acknowledges at once instead of coalescing it with later batches (MySQL's semi-sync need_reply flag).
/// <c>i64 startLogical | u8 flags (1 = ack now) | u32 count | count × (pos start | bytes item)</c>
/// </summary>
public sealed record ItemBatch(long StartLogical, IReadOnlyList<ShippedItem> Items, bool AckNow) : ReplicationMessage;

/// <summary>
/// Slave → master: the items in [RangeStart, RangeEnd) are durable in the relay log; Applied is how far the
/// slave has applied. First marks the first ack of a session (Pika's is_first_send).
/// <c>pos rangeStart | pos rangeEnd | pos applied | u8 first</c>
/// </summary>
public sealed record Ack(BinlogPosition RangeStart, BinlogPosition RangeEnd, BinlogPosition Applied, bool First) : ReplicationMessage;

/// <summary>Either side, when idle: <c>i64 unixMs | pos position</c> (master: durable end; slave: applied).</summary>
public sealed record Heartbeat(long UnixMs, BinlogPosition Position) : ReplicationMessage;

/// <summary>
/// Master → slave: a consistent snapshot follows, tagged with the binlog position it reflects.
/// <c>pos tag | i64 tagLogical | gtid tagId | i64 keyCount</c>
/// </summary>
public sealed record SnapshotBegin(BinlogPosition Tag, long TagLogical, TransactionId TagId, long KeyCount) : ReplicationMessage;

/// <summary>
/// Master → slave: keys of one database. <c>u32 count | count × (bytes key | u8 type | bytes value | i64 expireAtMs) [| i32 database]</c>;
/// the database is omitted for database 0 (each entry's <see cref="StoredEntry.Database"/>).
/// </summary>
public sealed record SnapshotChunk(IReadOnlyList<StoredEntry> Entries) : ReplicationMessage;

/// <summary>Master → slave: the snapshot is complete; <c>str digest</c> of the data it holds.</summary>
public sealed record SnapshotEnd(string Digest) : ReplicationMessage;

/// <summary>
/// Slave → master: what the slave computed for a consistency check's marker when it applied it
/// (docs/CONSISTENCY.md). The sender is the session's slave.
/// <c>str checkId | i32 chunk | u8 kind | i64 keyCount | bytes digest | str error | u32 count | count × (bytes key | u8 type | i64 expireAtMs | bytes valueDigest)
/// [| count × i32 database]</c>: the databases follow only when a key is outside database 0.
/// </summary>
public sealed record CheckResultMessage(Consistency.ChunkResult Result) : ReplicationMessage;
