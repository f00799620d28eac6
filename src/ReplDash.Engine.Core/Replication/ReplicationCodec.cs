using System.Buffers;
using System.Buffers.Binary;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Replication;

/// <summary>Result of trying to read one frame.</summary>
public enum FrameStatus
{
    Complete,
    Incomplete,
    /// <summary>Too large, unknown type or malformed body: the link must be closed.</summary>
    Invalid,
}

/// <summary>
/// Encodes and decodes replication frames (<c>u32 length | u8 type | body</c>). Pure: the same code runs
/// over TCP and in tests.
/// </summary>
public static class ReplicationCodec
{
    /// <summary>Protocol version spoken by this build.</summary>
    public const ushort ProtocolVersion = 4;

    /// <summary>
    /// Largest frame accepted: the largest binlog item plus framing (a batch holding one item that large, or a
    /// snapshot chunk holding one value that large, must still fit).
    /// </summary>
    public const int MaxFrameBytes = Binlog.BinlogFormat.MaxItemBytes + 1024 * 1024;

    /// <summary>
    /// Largest frame accepted before the handshake completes. The handshake's frames are small (a Hello is a
    /// version, two node ids of at most 64 characters, a 32-byte proof and a 32-character cluster id: under 350 bytes), so an
    /// unauthenticated peer can never make a node buffer more than this (docs/REPLICATION-PROTOCOL.md).
    /// </summary>
    public const int MaxHandshakeFrameBytes = 4096;

    // ItemBatch flags.
    private const byte AckNowFlag = 1;

    private enum Type : byte
    {
        Greeting = 1, Hello = 2, Welcome = 3, Error = 4, TrySync = 5, TrySyncReply = 6,
        ItemBatch = 7, Ack = 8, Heartbeat = 9, SnapshotBegin = 10, SnapshotChunk = 11, SnapshotEnd = 12,
        TailItems = 13,
        // Far from the others so that frame types added in parallel do not collide.
        CheckResult = 40,
    }

    /// <summary>Writes one whole frame.</summary>
    public static void Write(ReplicationMessage message, IBufferWriter<byte> output)
    {
        var body = new ArrayBufferWriter<byte>(256);
        var w = new WireWriter(body);
        switch (message)
        {
            case Greeting m:
                w.U8((byte)Type.Greeting); w.U16(m.Version); w.String(m.MasterId); w.Bytes(m.Nonce); w.String(m.ClusterId);
                break;
            case Hello m:
                w.U8((byte)Type.Hello); w.U16(m.Version); w.String(m.SlaveId); w.String(m.ExpectedMasterId); w.Bytes(m.Proof); w.String(m.ClusterId);
                break;
            case Welcome m:
                w.U8((byte)Type.Welcome); w.String(m.MasterId);
                break;
            case ErrorMessage m:
                w.U8((byte)Type.Error); w.String(m.Code); w.String(m.Message);
                break;
            case TrySync m:
                w.U8((byte)Type.TrySync); w.Position(m.Received); w.I64(m.ReceivedLogical); w.Gtid(m.LastReceived); w.Position(m.Applied);
                w.U8(m.FullResyncRequested ? (byte)1 : (byte)0);
                break;
            case TrySyncReply m:
                w.U8((byte)Type.TrySyncReply); w.U8((byte)m.Outcome); w.Position(m.From); w.String(m.Reason);
                break;
            case ItemBatch m:
                w.U8((byte)Type.ItemBatch); w.I64(m.StartLogical); w.U8(m.AckNow ? AckNowFlag : (byte)0); w.I32(m.Items.Count);
                foreach (var item in m.Items)
                {
                    w.Position(item.Start);
                    w.Bytes(item.Encoded);
                }
                break;
            case TailItems m:
                w.U8((byte)Type.TailItems); w.U8(m.Final ? (byte)1 : (byte)0); w.I32(m.Items.Count);
                foreach (var item in m.Items)
                {
                    w.Position(item.Start);
                    w.Bytes(item.Encoded);
                }
                break;
            case Ack m:
                w.U8((byte)Type.Ack); w.Position(m.RangeStart); w.Position(m.RangeEnd); w.Position(m.Applied); w.U8(m.First ? (byte)1 : (byte)0);
                break;
            case Heartbeat m:
                w.U8((byte)Type.Heartbeat); w.I64(m.UnixMs); w.Position(m.Position);
                break;
            case SnapshotBegin m:
                w.U8((byte)Type.SnapshotBegin); w.Position(m.Tag); w.I64(m.TagLogical); w.Gtid(m.TagId); w.I64(m.KeyCount);
                break;
            case SnapshotChunk m:
                w.U8((byte)Type.SnapshotChunk); w.I32(m.Entries.Count);
                foreach (var entry in m.Entries)
                {
                    w.Bytes(entry.Key); w.U8((byte)entry.Type); w.Bytes(entry.Value ?? []); w.I64(entry.ExpireAtMs);
                }
                WriteChunkDatabase(ref w, m.Entries);
                break;
            case SnapshotEnd m:
                w.U8((byte)Type.SnapshotEnd); w.String(m.Digest);
                break;
            case CheckResultMessage m:
                WriteCheckResult(ref w, m.Result);
                break;
            default:
                throw new ArgumentException($"Unknown message {message.GetType().Name}", nameof(message));
        }
        if (body.WrittenCount > MaxFrameBytes)
            throw new ArgumentException($"Frame of {body.WrittenCount} bytes exceeds {MaxFrameBytes}.", nameof(message));
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), (uint)body.WrittenCount);
        output.Advance(4);
        output.Write(body.WrittenSpan);
    }

    /// <summary>Tries to read one frame from the start of <paramref name="buffer"/>.</summary>
    public static FrameStatus TryRead(ReadOnlySequence<byte> buffer, out ReplicationMessage? message, out SequencePosition consumed,
        out string? error) =>
        TryRead(buffer, MaxFrameBytes, out message, out consumed, out error);

    /// <summary>
    /// Tries to read one frame whose length is at most <paramref name="maxFrameBytes"/>. A longer length prefix is
    /// <see cref="FrameStatus.Invalid"/> as soon as its four bytes are in, before any of the body is waited for.
    /// </summary>
    public static FrameStatus TryRead(ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReplicationMessage? message,
        out SequencePosition consumed, out string? error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        message = null;
        error = null;
        consumed = buffer.Start;
        if (buffer.Length < 4)
            return FrameStatus.Incomplete;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length == 0 || length > (uint)Math.Min(maxFrameBytes, MaxFrameBytes))
        {
            error = $"frame length {length} is outside 1..{Math.Min(maxFrameBytes, MaxFrameBytes)}";
            return FrameStatus.Invalid;
        }
        if (buffer.Length < 4 + length)
            return FrameStatus.Incomplete;
        var frame = buffer.Slice(4, length);
        byte[] body = frame.ToArray();
        try
        {
            message = Decode(body);
        }
        catch (InvalidDataException e)
        {
            error = e.Message;
            return FrameStatus.Invalid;
        }
        consumed = frame.End;
        return FrameStatus.Complete;
    }

    private static ReplicationMessage Decode(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        ReplicationMessage message = (Type)r.U8() switch
        {
            Type.Greeting => new Greeting(r.U16(), r.String(), r.Bytes(), r.String()),
            Type.Hello => new Hello(r.U16(), r.String(), r.String(), r.Bytes(), r.String()),
            Type.Welcome => new Welcome(r.String()),
            Type.Error => new ErrorMessage(r.String(), r.String()),
            Type.TrySync => new TrySync(r.Position(), r.I64(), r.Gtid(), r.Position(), r.U8() != 0),
            Type.TrySyncReply => new TrySyncReply(ReadOutcome(ref r), r.Position(), r.String()),
            Type.ItemBatch => ReadBatch(ref r),
            Type.Ack => new Ack(r.Position(), r.Position(), r.Position(), r.U8() != 0),
            Type.Heartbeat => new Heartbeat(r.I64(), r.Position()),
            Type.SnapshotBegin => new SnapshotBegin(r.Position(), r.I64(), r.Gtid(), r.I64()),
            Type.SnapshotChunk => ReadChunk(ref r),
            Type.SnapshotEnd => new SnapshotEnd(r.String()),
            Type.TailItems => ReadTailItems(ref r),
            Type.CheckResult => ReadCheckResult(ref r),
            var unknown => throw new InvalidDataException($"unknown frame type {(byte)unknown}"),
        };
        if (!r.AtEnd)
            throw new InvalidDataException("trailing bytes after the frame body");
        return message;
    }

    private static TrySyncOutcome ReadOutcome(ref WireReader r)
    {
        var outcome = (TrySyncOutcome)r.U8();
        return Enum.IsDefined(outcome) ? outcome : throw new InvalidDataException($"unknown TrySync outcome {(byte)outcome}");
    }

    private static ItemBatch ReadBatch(ref WireReader r)
    {
        long startLogical = r.I64();
        byte flags = r.U8();
        if ((flags & ~AckNowFlag) != 0)
            throw new InvalidDataException($"unknown item batch flags {flags:x2}");
        int count = r.Count(minElementBytes: 20);
        var items = new ShippedItem[count];
        for (int i = 0; i < count; i++)
            items[i] = new ShippedItem(r.Position(), r.Bytes());
        return new ItemBatch(startLogical, items, (flags & AckNowFlag) != 0);
    }

    private static TailItems ReadTailItems(ref WireReader r)
    {
        byte final = r.U8();
        if (final > 1)
            throw new InvalidDataException($"invalid tail items final flag {final}");
        int count = r.Count(minElementBytes: 20);
        var items = new ShippedItem[count];
        for (int i = 0; i < count; i++)
            items[i] = new ShippedItem(r.Position(), r.Bytes());
        return new TailItems(items, final == 1);
    }

    private static SnapshotChunk ReadChunk(ref WireReader r)
    {
        int count = r.Count(minElementBytes: 17);
        var entries = new StoredEntry[count];
        for (int i = 0; i < count; i++)
        {
            var key = r.Bytes();
            var type = (ValueType)r.U8();
            if (!Enum.IsDefined(type))
                throw new InvalidDataException($"unknown value type {(byte)type}");
            entries[i] = new StoredEntry(key, type, r.Bytes(), r.I64());
        }
        // A chunk of database 0 ends here (as every chunk did before numbered databases); another database follows.
        if (!r.AtEnd)
        {
            int database = r.I32();
            if (database < 0)
                throw new InvalidDataException($"invalid snapshot chunk database {database}");
            for (int i = 0; i < count; i++)
                entries[i] = entries[i] with { Database = database };
        }
        return new SnapshotChunk(entries);
    }

    /// <summary>A chunk holds the keys of one database; its number follows the entries unless it is 0.</summary>
    private static void WriteChunkDatabase(ref WireWriter w, IReadOnlyList<StoredEntry> entries)
    {
        int database = entries.Count == 0 ? 0 : entries[0].Database;
        foreach (var entry in entries)
            if (entry.Database != database)
                throw new ArgumentException("A snapshot chunk holds the keys of one database only.", nameof(entries));
        if (database != 0)
            w.I32(database);
    }

    private static void WriteCheckResult(ref WireWriter w, Consistency.ChunkResult result)
    {
        w.U8((byte)Type.CheckResult); w.String(result.CheckId); w.I32(result.Chunk); w.U8((byte)result.Kind); w.I64(result.KeyCount);
        w.Bytes(result.Digest); w.String(result.Error ?? ""); w.I32(result.Keys.Count);
        foreach (var key in result.Keys)
        {
            w.Bytes(key.Key); w.U8((byte)key.Type); w.I64(key.ExpireAtMs); w.Bytes(key.ValueDigest);
        }
        // Each key's database follows the list when any key is outside database 0 (a result of database 0 only
        // reads as before numbered databases).
        if (result.Keys.Any(k => k.Database != 0))
            foreach (var key in result.Keys)
                w.I32(key.Database);
    }

    private static CheckResultMessage ReadCheckResult(ref WireReader r)
    {
        string checkId = r.String();
        int chunk = r.I32();
        var kind = (Consistency.CheckMarkerKind)r.U8();
        if (!Enum.IsDefined(kind))
            throw new InvalidDataException($"unknown check marker kind {(byte)kind}");
        long keyCount = r.I64();
        var digest = r.Bytes();
        string error = r.String();
        int count = r.Count(minElementBytes: 17);
        var keys = new Consistency.KeyDigest[count];
        for (int i = 0; i < count; i++)
        {
            var key = r.Bytes();
            var type = (ValueType)r.U8();
            if (!Enum.IsDefined(type))
                throw new InvalidDataException($"unknown value type {(byte)type}");
            keys[i] = new Consistency.KeyDigest(key, type, r.I64(), r.Bytes());
        }
        if (!r.AtEnd)
            for (int i = 0; i < count; i++)
                keys[i] = keys[i] with { Database = r.I32() };
        return new CheckResultMessage(new Consistency.ChunkResult(checkId, chunk, kind, "", keyCount, digest, keys, error.Length == 0 ? null : error));
    }
}
