using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Replication;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>
/// Databases in a full resync's chunks, in check results, in the digest and in check chunks: every database is
/// covered, database 0 looks exactly as before databases existed.
/// </summary>
public class DatabaseWireAndCheckTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Frame(ReplicationMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ReplicationCodec.Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static ReplicationMessage Read(byte[] frame)
    {
        Assert.Equal(FrameStatus.Complete, ReplicationCodec.TryRead(new ReadOnlySequence<byte>(frame), out var message, out _, out _));
        return message!;
    }

    [Fact]
    public void SnapshotChunk_CarriesItsDatabase_AndDatabaseZeroIsTheEarlierFrame()
    {
        StoredEntry[] zero = [new(Bytes("k"), ValueType.String, Bytes("v"), 5), new(Bytes("h"), ValueType.Hash, Bytes("x"), 0)];
        var three = zero.Select(e => e with { Database = 3 }).ToArray();
        var frameZero = Frame(new SnapshotChunk(zero));
        var frameThree = Frame(new SnapshotChunk(three));

        Assert.Equal(frameZero.Length + 4, frameThree.Length);
        Assert.Equal([3, 0, 0, 0], frameThree[^4..]);
        Assert.All(((SnapshotChunk)Read(frameZero)).Entries, e => Assert.Equal(0, e.Database));
        var decoded = ((SnapshotChunk)Read(frameThree)).Entries;
        Assert.All(decoded, e => Assert.Equal(3, e.Database));
        Assert.Equal(Bytes("v"), decoded[0].Value);
        Assert.Equal(5, decoded[0].ExpireAtMs);
    }

    [Fact]
    public void SnapshotChunk_OfTwoDatabases_IsRefusedWhenWritten()
    {
        StoredEntry[] mixed = [new(Bytes("a"), ValueType.String, Bytes("1"), 0), new(Bytes("b"), ValueType.String, Bytes("2"), 0, Database: 1)];
        Assert.Throws<ArgumentException>(() => Frame(new SnapshotChunk(mixed)));
    }

    [Fact]
    public void CheckResult_CarriesEachKeysDatabase_OnlyWhenOneIsNotZero()
    {
        var digest = new byte[20];
        KeyDigest[] zero = [new(Bytes("a"), ValueType.String, 0, digest), new(Bytes("b"), ValueType.Set, 7, digest)];
        KeyDigest[] mixed = [zero[0], zero[1] with { Database = 9 }];
        var frameZero = Frame(new CheckResultMessage(new ChunkResult("c", 1, CheckMarkerKind.Keys, "", 2, digest, zero)));
        var frameMixed = Frame(new CheckResultMessage(new ChunkResult("c", 1, CheckMarkerKind.Keys, "", 2, digest, mixed)));

        Assert.Equal(frameZero.Length + 8, frameMixed.Length);
        Assert.Equal([0, 9], ((CheckResultMessage)Read(frameMixed)).Result.Keys.Select(k => k.Database));
        Assert.Equal([0, 0], ((CheckResultMessage)Read(frameZero)).Result.Keys.Select(k => k.Database));
    }

    [Fact]
    public void Digest_IsZeroWhenEmpty_CoversEveryDatabase_AndTellsDatabasesApart()
    {
        var databases = new DatabaseHarness();
        Assert.Equal(new string('0', 40), databases.Databases.DigestHex());

        databases.Run("SET k v");
        string inZero = databases.Databases.DigestHex();
        Assert.Equal(databases.Databases[0].DigestHex(), inZero); // database 0 alone: the digest of earlier builds

        databases.Run("MOVE k 1");
        string inOne = databases.Databases.DigestHex();
        Assert.NotEqual(new string('0', 40), inOne);
        Assert.NotEqual(inZero, inOne);

        databases.Run("SWAPDB 1 2");
        Assert.NotEqual(inOne, databases.Databases.DigestHex());
        databases.Run("SWAPDB 1 2");
        Assert.Equal(inOne, databases.Databases.DigestHex());
    }

    [Fact]
    public void CheckChunk_CountsEveryDatabase_AndAKeyInTheWrongDatabaseIsADifference()
    {
        var marker = new CheckMarker("run", 1, CheckMarkerKind.Keys, 0, KeyBuckets.Count);
        var master = new DatabaseHarness();
        var slave = new DatabaseHarness();
        foreach (var side in new[] { master, slave })
        {
            side.Run("SET same 1");
            side.Run("SELECT 4");
            side.Run("SET moved 2");
        }
        slave.Run("MOVE moved 5");

        var mine = master.Databases.ComputeChunk(marker, "m1");
        var theirs = slave.Databases.ComputeChunk(marker, "s1");
        Assert.Equal(2, mine.KeyCount);
        Assert.Equal(2, theirs.KeyCount);
        Assert.False(mine.SameAs(theirs), "the same keys in other databases must not look equal");

        var differences = ChunkComparer.Compare(mine.Keys, theirs.Keys);
        Assert.Equal([(4, DifferenceKind.MissingOnSlave), (5, DifferenceKind.MissingOnMaster)],
            differences.Select(d => ((d.Master ?? d.Slave)!.Database, d.Kind)));
        Assert.All(differences, d => Assert.Equal(Bytes("moved"), d.Key));

        // Database 0 alone hashes as before databases existed.
        var single = new DatabaseHarness();
        single.Run("SET same 1");
        Assert.Equal(single.Databases[0].ComputeChunk(marker, "x").Digest, single.Databases.ComputeChunk(marker, "x").Digest);
    }
}
