using ReplDash.Engine.Core.Consistency;
using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Replication;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Tests.Replication;

public class ReplicationCodecTests
{
    private static readonly BinlogPosition P1 = new(1, 4096);
    private static readonly BinlogPosition P2 = new(2, 32);
    private static readonly BinlogPosition P3 = new(long.MaxValue, long.MaxValue);

    /// <summary>One sample of every message type, with non-trivial values in every field.</summary>
    private static readonly Dictionary<string, ReplicationMessage> Samples = new()
    {
        ["Greeting"] = new Greeting(ReplicationCodec.ProtocolVersion, "master-ü1", Enumerable.Range(0, 16).Select(i => (byte)(i * 17)).ToArray(), "0123456789abcdef0123456789abcdef"),
        ["Hello"] = new Hello(ushort.MaxValue, "slave-2", "master-1", Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray(), ""),
        ["Welcome"] = new Welcome("master-1"),
        ["Welcome-empty"] = new Welcome(""),
        ["ErrorMessage"] = new ErrorMessage("AUTH", "proof does not match — 认证失败"),
        ["TrySync"] = new TrySync(P1, 123_456_789_012, new TransactionId("m1", 42), P2),
        ["TrySync-new-slave"] = new TrySync(BinlogPosition.Zero, 0, TransactionId.None, BinlogPosition.Zero),
        ["TrySyncReply-Continue"] = new TrySyncReply(TrySyncOutcome.Continue, P1, "continuing"),
        ["TrySyncReply-FullResync"] = new TrySyncReply(TrySyncOutcome.FullResync, P2, "purged"),
        ["TrySyncReply-NotBoundary"] = new TrySyncReply(TrySyncOutcome.NotBoundary, P3, "offset is not a start point"),
        ["TrySyncReply-SendBack"] = new TrySyncReply(TrySyncOutcome.SendBack, P1, "the slave holds items beyond the master's end"),
        ["TrySyncReply-Diverged"] = new TrySyncReply(TrySyncOutcome.Diverged, P2, "another history"),
        ["TailItems"] = new TailItems(
        [
            new ShippedItem(new BinlogPosition(1, 4096), [1, 2, 3]),
            new ShippedItem(new BinlogPosition(2, 32), Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
        ], Final: false),
        ["TailItems-final-empty"] = new TailItems([], Final: true),
        ["ItemBatch"] = new ItemBatch(987_654_321,
        [
            new ShippedItem(new BinlogPosition(1, 32), [1, 2, 3, 4, 5]),
            new ShippedItem(new BinlogPosition(1, 37), []),
            new ShippedItem(new BinlogPosition(1, 37), Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
            new ShippedItem(new BinlogPosition(2, 32), [0xFF]),
        ], AckNow: false),
        ["ItemBatch-ack-now"] = new ItemBatch(5, [new ShippedItem(new BinlogPosition(3, 32), [9, 8, 7])], AckNow: true),
        ["ItemBatch-empty"] = new ItemBatch(0, [], AckNow: false),
        ["Ack"] = new Ack(P1, P2, P1, First: false),
        ["Ack-first"] = new Ack(P2, P3, BinlogPosition.Zero, First: true),
        ["Heartbeat"] = new Heartbeat(1_700_000_000_123, P2),
        ["SnapshotBegin"] = new SnapshotBegin(P1, 55, new TransactionId("origin-node", long.MaxValue), 1_000_000),
        ["SnapshotChunk"] = new SnapshotChunk(Enum.GetValues<ValueType>()
            .SelectMany((type, i) => new[]
            {
                new StoredEntry(Encoding.UTF8.GetBytes($"key-{type}"), type, [(byte)i, 0, 255], 1_700_000_000_000 + i),
                new StoredEntry([], type, [], 0),
            })
            .ToArray()),
        ["SnapshotChunk-empty"] = new SnapshotChunk([]),
        ["SnapshotEnd"] = new SnapshotEnd("sha256:0123456789abcdef"),
        ["CheckResult-keys"] = new CheckResultMessage(new ChunkResult("7.ab12cd34", 42, CheckMarkerKind.Keys, "", 2,
            Enumerable.Range(0, 20).Select(i => (byte)(i * 11)).ToArray(),
            [
                new KeyDigest("key:1"u8.ToArray(), ValueType.String, 0, Enumerable.Repeat((byte)7, 20).ToArray()),
                new KeyDigest([], ValueType.Set, 1_700_000_000_000, Enumerable.Repeat((byte)9, 20).ToArray()),
            ])),
        ["CheckResult-error"] = new CheckResultMessage(new ChunkResult("x", -1, CheckMarkerKind.Digest, "", 0, new byte[20], [], "marker uses 1024 buckets")),
    };

    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Samples.Keys)
            data.Add(name);
        return data;
    }

    [Fact]
    public void Samples_CoverEveryMessageType()
    {
        var covered = Samples.Values.Select(m => m.GetType()).ToHashSet();
        var all = typeof(ReplicationMessage).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ReplicationMessage)) && !t.IsAbstract);
        Assert.All(all, t => Assert.Contains(t, covered));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void EveryMessage_RoundTripsWithEqualFields(string name)
    {
        var sent = Samples[name];
        var bytes = FrameBytes.Encode(sent);

        Assert.Equal(FrameStatus.Complete, FrameBytes.Read(bytes, out var received, out long consumed, out var error));
        Assert.Null(error);
        Assert.Equal(bytes.Length, consumed);
        AssertSameMessage(sent, received);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void LengthPrefix_CountsTypeByteAndBody(string name)
    {
        var bytes = FrameBytes.Encode(Samples[name]);
        Assert.Equal((uint)(bytes.Length - 4), BitConverter.ToUInt32(bytes, 0));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void EveryStrictPrefixOfAFrame_IsIncomplete(string name)
    {
        var bytes = FrameBytes.Encode(Samples[name]);
        for (int length = 0; length < bytes.Length; length++)
        {
            var status = FrameBytes.Read(bytes[..length], out var message, out long consumed, out var error);
            Assert.True(status == FrameStatus.Incomplete, $"prefix of {length}/{bytes.Length} bytes gave {status} ({error})");
            Assert.Null(message);
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void TwoFramesBackToBack_DecodeInOrderWithExactConsumed()
    {
        var first = FrameBytes.Encode(Samples["ItemBatch"]);
        var second = FrameBytes.Encode(Samples["Ack"]);
        var third = FrameBytes.Encode(Samples["Heartbeat"]);
        byte[] stream = [.. first, .. second, .. third[..5]];
        var buffer = new ReadOnlySequence<byte>(stream);

        Assert.Equal(FrameStatus.Complete, ReplicationCodec.TryRead(buffer, out var a, out var consumedA, out _));
        Assert.Equal(first.Length, buffer.Slice(0, consumedA).Length);
        AssertSameMessage(Samples["ItemBatch"], a);

        buffer = buffer.Slice(consumedA);
        Assert.Equal(FrameStatus.Complete, ReplicationCodec.TryRead(buffer, out var b, out var consumedB, out _));
        Assert.Equal(second.Length, buffer.Slice(0, consumedB).Length);
        AssertSameMessage(Samples["Ack"], b);

        buffer = buffer.Slice(consumedB);
        Assert.Equal(5, buffer.Length);
        Assert.Equal(FrameStatus.Incomplete, ReplicationCodec.TryRead(buffer, out _, out _, out _));
    }

    [Fact]
    public void FrameSplitAcrossTwoSegments_DecodesAtEveryCut()
    {
        var sent = Samples["ItemBatch"];
        var bytes = FrameBytes.Encode(sent);
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            var buffer = FrameBytes.Segmented(bytes, cut);
            Assert.False(buffer.IsSingleSegment);
            var status = FrameBytes.Read(buffer, out var received, out long consumed, out var error);
            Assert.True(status == FrameStatus.Complete, $"cut at {cut}: {status} ({error})");
            Assert.Equal(bytes.Length, consumed);
            AssertSameMessage(sent, received);
        }
    }

    [Fact]
    public void FrameInOneByteSegments_Decodes()
    {
        var sent = Samples["SnapshotChunk"];
        var bytes = FrameBytes.Encode(sent);
        var buffer = FrameBytes.Segmented(bytes, Enumerable.Range(1, bytes.Length - 1).ToArray());

        Assert.Equal(FrameStatus.Complete, FrameBytes.Read(buffer, out var received, out long consumed, out _));
        Assert.Equal(bytes.Length, consumed);
        AssertSameMessage(sent, received);
    }

    /// <summary>Malformed frames by name; each must be Invalid, not Incomplete (waiting would hang the link) and not a throw.</summary>
    private static readonly Dictionary<string, byte[]> Malformed = new()
    {
        ["zero length"] = FrameBytes.U32(0),
        ["length one above MaxFrameBytes"] = FrameBytes.U32(ReplicationCodec.MaxFrameBytes + 1),
        ["length uint.MaxValue"] = FrameBytes.U32(uint.MaxValue),
        ["unknown type 0"] = FrameBytes.Frame(0),
        ["unknown type 14"] = FrameBytes.Frame(14),
        ["tail items final flag 2"] = FrameBytes.Frame([13, 2, .. FrameBytes.U32(0)]),
        ["tail items count one more than the bytes hold"] =
            FrameBytes.Frame([13, 1, .. FrameBytes.U32(2), .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]),
        ["unknown type 255"] = FrameBytes.Frame([255, 0, 0, 0, 0]),
        ["byte string longer than the frame"] = FrameBytes.Frame([3, .. FrameBytes.U32(1000), .. "abc"u8]),
        ["byte string length one past the frame"] = FrameBytes.Frame([3, .. FrameBytes.U32(4), .. "abc"u8]),
        ["negative byte string length"] = FrameBytes.Frame([3, .. FrameBytes.U32(uint.MaxValue), .. "abc"u8]),
        ["item count int.MaxValue"] = FrameBytes.Frame([7, .. FrameBytes.I64(0), 0, .. FrameBytes.U32(int.MaxValue)]),
        ["item count negative"] = FrameBytes.Frame([7, .. FrameBytes.I64(0), 0, .. FrameBytes.U32(0x8000_0000)]),
        ["item count one more than the bytes hold"] =
            FrameBytes.Frame([7, .. FrameBytes.I64(0), 0, .. FrameBytes.U32(2), .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]),
        ["item batch flag unknown to this version"] =
            FrameBytes.Frame([7, .. FrameBytes.I64(0), 2, .. FrameBytes.U32(1), .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]),
        ["entry count int.MaxValue"] = FrameBytes.Frame([11, .. FrameBytes.U32(int.MaxValue)]),
        ["trailing byte after Welcome"] = FrameBytes.Frame([3, .. FrameBytes.U32(1), (byte)'m', 0]),
        ["trailing byte after SnapshotEnd"] = FrameBytes.Frame([12, .. FrameBytes.U32(0), 0xAA]),
        ["TrySync outcome 0"] = FrameBytes.Frame([6, 0, .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]),
        ["TrySync outcome 6"] = FrameBytes.Frame([6, 6, .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]),
        ["TrySync outcome 255"] = FrameBytes.Frame([6, 255, .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]),
        ["value type 0"] = FrameBytes.Frame([11, .. FrameBytes.U32(1), .. FrameBytes.U32(1), (byte)'k', 0, .. FrameBytes.U32(0), .. FrameBytes.I64(0)]),
        ["value type 5"] = FrameBytes.Frame([11, .. FrameBytes.U32(1), .. FrameBytes.U32(1), (byte)'k', 5, .. FrameBytes.U32(0), .. FrameBytes.I64(0)]),
        ["body ends early"] = FrameBytes.Frame([9, .. FrameBytes.I64(1)]),
        ["type byte only"] = FrameBytes.Frame(8),
        ["check result kind 3"] = FrameBytes.Frame([40, .. FrameBytes.U32(1), (byte)'c', .. FrameBytes.U32(0), 3, .. FrameBytes.I64(0), .. FrameBytes.U32(0), .. FrameBytes.U32(0), .. FrameBytes.U32(0)]),
        ["check result key count beyond the frame"] = FrameBytes.Frame([40, .. FrameBytes.U32(1), (byte)'c', .. FrameBytes.U32(0), 1, .. FrameBytes.I64(0), .. FrameBytes.U32(0), .. FrameBytes.U32(0), .. FrameBytes.U32(1000)]),
    };

    public static TheoryData<string> MalformedNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Malformed.Keys)
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void MalformedFrame_IsInvalidWithAnErrorAndNeverThrows(string name)
    {
        var bytes = Malformed[name];

        var status = FrameBytes.Read(bytes, out var message, out long consumed, out var error);

        Assert.Equal(FrameStatus.Invalid, status);
        Assert.Null(message);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void ValidFrameWithTheMalformedCasesTypeBytes_IsNotRejectedByAccident()
    {
        // Guards the table above: the same hand-made layout with sane values must decode, so each
        // malformed case fails for the reason its name gives and not because the layout is wrong.
        var batch = FrameBytes.Frame([7, .. FrameBytes.I64(0), 1, .. FrameBytes.U32(1), .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]);
        var reply = FrameBytes.Frame([6, 3, .. FrameBytes.I64(1), .. FrameBytes.I64(32), .. FrameBytes.U32(0)]);
        var chunk = FrameBytes.Frame([11, .. FrameBytes.U32(1), .. FrameBytes.U32(1), (byte)'k', 4, .. FrameBytes.U32(0), .. FrameBytes.I64(0)]);
        var welcome = FrameBytes.Frame([3, .. FrameBytes.U32(1), (byte)'m']);

        Assert.Equal(FrameStatus.Complete, FrameBytes.Read(batch, out var b, out _, out _));
        Assert.Single(((ItemBatch)b!).Items);
        Assert.True(((ItemBatch)b).AckNow);
        Assert.Equal(FrameStatus.Complete, FrameBytes.Read(reply, out var r, out _, out _));
        Assert.Equal(TrySyncOutcome.NotBoundary, ((TrySyncReply)r!).Outcome);
        Assert.Equal(FrameStatus.Complete, FrameBytes.Read(chunk, out var c, out _, out _));
        Assert.Equal(ValueType.Set, ((SnapshotChunk)c!).Entries[0].Type);
        Assert.Equal(FrameStatus.Complete, FrameBytes.Read(welcome, out var w, out _, out _));
        Assert.Equal("m", ((Welcome)w!).MasterId);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    public void HugeCount_IsRefusedWithoutAllocatingForIt(byte type)
    {
        byte[] body = type == 7 ? [7, .. FrameBytes.I64(0), 0, .. FrameBytes.U32(int.MaxValue)] : [11, .. FrameBytes.U32(int.MaxValue)];
        var bytes = FrameBytes.Frame(body);
        FrameBytes.Read(bytes, out _, out _, out _); // warm up the code path

        long before = GC.GetAllocatedBytesForCurrentThread();
        var status = FrameBytes.Read(bytes, out _, out _, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(FrameStatus.Invalid, status);
        Assert.True(allocated < 64 * 1024, $"refusing a count of int.MaxValue allocated {allocated} bytes");
    }

    [Fact]
    public void LengthAboveMax_IsInvalidBeforeTheBodyArrives()
    {
        // A reader that answered Incomplete here would buffer up to 4 GiB from a hostile peer.
        var bytes = FrameBytes.U32(ReplicationCodec.MaxFrameBytes + 1);
        Assert.Equal(FrameStatus.Invalid, FrameBytes.Read(bytes, out _, out _, out _));

        var atMax = FrameBytes.U32(ReplicationCodec.MaxFrameBytes);
        Assert.Equal(FrameStatus.Incomplete, FrameBytes.Read(atMax, out _, out _, out _));
    }

    [Fact]
    public void HandshakeLimit_RefusesALargerLengthAtItsPrefix_AndAcceptsEveryHandshakeFrame()
    {
        // Before authentication a peer gets MaxHandshakeFrameBytes: a 400 MB claim is refused from its 4 bytes.
        var claim = FrameBytes.U32(400_000_000);
        Assert.Equal(FrameStatus.Invalid, ReplicationCodec.TryRead(new ReadOnlySequence<byte>(claim), ReplicationCodec.MaxHandshakeFrameBytes,
            out _, out _, out var error));
        Assert.Contains($"1..{ReplicationCodec.MaxHandshakeFrameBytes}", error);
        var justAbove = FrameBytes.U32(ReplicationCodec.MaxHandshakeFrameBytes + 1);
        Assert.Equal(FrameStatus.Invalid, ReplicationCodec.TryRead(new ReadOnlySequence<byte>(justAbove), ReplicationCodec.MaxHandshakeFrameBytes,
            out _, out _, out _));

        // A Hello with ids twice as long as a valid node id (64 ASCII characters) fits well inside the limit.
        string id = string.Concat(Enumerable.Repeat("\U0001F600", 32)); // 128 UTF-8 bytes
        var hello = FrameBytes.Encode(new Hello(ReplicationCodec.ProtocolVersion, id, id, new byte[32], new string('f', 32)));
        Assert.True(hello.Length < ReplicationCodec.MaxHandshakeFrameBytes / 4, $"a Hello takes {hello.Length} bytes");
        Assert.Equal(FrameStatus.Complete, ReplicationCodec.TryRead(new ReadOnlySequence<byte>(hello), ReplicationCodec.MaxHandshakeFrameBytes,
            out var message, out _, out _));
        Assert.Equal(id, Assert.IsType<Hello>(message).SlaveId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20240611)]
    [InlineData(987654321)]
    public void RandomBytes_NeverThrow(int seed)
    {
        var random = new Random(seed);
        var valid = Samples.Values.Select(FrameBytes.Encode).ToArray();
        var seen = new Dictionary<FrameStatus, int>();
        for (int iteration = 0; iteration < 5000; iteration++)
        {
            byte[] bytes = (iteration % 3) switch
            {
                // A plausible header over a random type and body.
                0 => RandomFrame(random),
                // A valid frame with a few bytes changed, possibly cut short or extended.
                1 => Mutate(random, valid[random.Next(valid.Length)]),
                // Pure noise.
                _ => RandomBytes(random, random.Next(0, 64)),
            };
            FrameStatus status;
            ReplicationMessage? message;
            long consumed;
            string? error;
            try
            {
                status = FrameBytes.Read(bytes, out message, out consumed, out error);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} iteration {iteration}: TryRead threw on {Convert.ToHexString(bytes)}: {e}");
                return;
            }
            string where = $"seed {seed} iteration {iteration}, input {Convert.ToHexString(bytes)}";
            seen[status] = seen.GetValueOrDefault(status) + 1;
            switch (status)
            {
                case FrameStatus.Complete:
                    Assert.True(message is not null, where);
                    Assert.True(consumed == 4 + BitConverter.ToUInt32(bytes, 0) && consumed <= bytes.Length, where);
                    break;
                case FrameStatus.Incomplete:
                    Assert.True(message is null && consumed == 0, where);
                    break;
                case FrameStatus.Invalid:
                    Assert.True(message is null && consumed == 0 && !string.IsNullOrEmpty(error), where);
                    break;
            }
        }
        // The loop must reach every outcome, or it is not exercising the decoder's deeper paths.
        foreach (var status in Enum.GetValues<FrameStatus>())
            Assert.True(seen.GetValueOrDefault(status) > 50, $"seed {seed}: only {seen.GetValueOrDefault(status)} {status} results");
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomFrame(Random random)
    {
        var body = RandomBytes(random, random.Next(1, 80));
        body[0] = (byte)random.Next(0, 14);
        // Small counts and lengths are what reach the deeper parsing paths.
        for (int i = 1; i + 4 <= body.Length; i += 4)
            if (random.Next(3) == 0)
                FrameBytes.U32((uint)random.Next(0, 8)).CopyTo(body, i);
        var frame = FrameBytes.Frame(body);
        if (random.Next(10) == 0)
            FrameBytes.U32((uint)random.Next(0, body.Length + 3)).CopyTo(frame, 0);
        return frame;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        int flips = random.Next(1, 4);
        for (int i = 0; i < flips; i++)
            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
        return random.Next(4) switch
        {
            0 => bytes[..random.Next(bytes.Length)],
            1 => [.. bytes, .. RandomBytes(random, random.Next(1, 8))],
            _ => bytes,
        };
    }

    private static void AssertSameMessage(ReplicationMessage expected, ReplicationMessage? actual)
    {
        Assert.NotNull(actual);
        Assert.IsType(expected.GetType(), actual);
        switch (expected)
        {
            case Greeting e:
                var g = (Greeting)actual;
                Assert.Equal(e.Version, g.Version);
                Assert.Equal(e.MasterId, g.MasterId);
                Assert.Equal(e.Nonce, g.Nonce);
                break;
            case Hello e:
                var h = (Hello)actual;
                Assert.Equal(e.Version, h.Version);
                Assert.Equal(e.SlaveId, h.SlaveId);
                Assert.Equal(e.ExpectedMasterId, h.ExpectedMasterId);
                Assert.Equal(e.Proof, h.Proof);
                break;
            case ItemBatch e:
                var b = (ItemBatch)actual;
                Assert.Equal(e.StartLogical, b.StartLogical);
                Assert.Equal(e.AckNow, b.AckNow);
                Assert.Equal(e.Items.Count, b.Items.Count);
                for (int i = 0; i < e.Items.Count; i++)
                {
                    Assert.Equal(e.Items[i].Start, b.Items[i].Start);
                    Assert.Equal(e.Items[i].Encoded, b.Items[i].Encoded);
                    Assert.Equal(e.Items[i].End, b.Items[i].End);
                }
                break;
            case TailItems e:
                var t = (TailItems)actual;
                Assert.Equal(e.Final, t.Final);
                Assert.Equal(e.Items.Select(i => i.Start), t.Items.Select(i => i.Start));
                Assert.Equal(e.Items.Select(i => i.Encoded), t.Items.Select(i => i.Encoded));
                break;
            case SnapshotChunk e:
                var c = (SnapshotChunk)actual;
                Assert.Equal(e.Entries.Count, c.Entries.Count);
                for (int i = 0; i < e.Entries.Count; i++)
                {
                    Assert.Equal(e.Entries[i].Key, c.Entries[i].Key);
                    Assert.Equal(e.Entries[i].Type, c.Entries[i].Type);
                    Assert.Equal(e.Entries[i].Value, c.Entries[i].Value);
                    Assert.Equal(e.Entries[i].ExpireAtMs, c.Entries[i].ExpireAtMs);
                }
                break;
            case CheckResultMessage e:
                var r = ((CheckResultMessage)actual).Result;
                Assert.Equal((e.Result.CheckId, e.Result.Chunk, e.Result.Kind, e.Result.KeyCount, e.Result.Error), (r.CheckId, r.Chunk, r.Kind, r.KeyCount, r.Error));
                Assert.Equal(e.Result.Digest, r.Digest);
                Assert.Equal(e.Result.Keys.Count, r.Keys.Count);
                for (int i = 0; i < e.Result.Keys.Count; i++)
                {
                    Assert.Equal(e.Result.Keys[i].Key, r.Keys[i].Key);
                    Assert.Equal(e.Result.Keys[i].Type, r.Keys[i].Type);
                    Assert.Equal(e.Result.Keys[i].ExpireAtMs, r.Keys[i].ExpireAtMs);
                    Assert.Equal(e.Result.Keys[i].ValueDigest, r.Keys[i].ValueDigest);
                }
                break;
            default:
                // The other messages hold only values with value equality (strings, positions, ids, enums).
                Assert.Equal(expected, actual);
                break;
        }
    }
}
