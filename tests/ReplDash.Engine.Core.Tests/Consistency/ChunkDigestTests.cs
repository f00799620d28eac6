using System.Text;
using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Core.Tests.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Consistency;

public class ChunkDigestTests
{
    private static readonly CheckMarker Everything = new("t", 0, CheckMarkerKind.Keys, 0, KeyBuckets.Count);

    [Theory]
    [InlineData("", 0)]              // crc32c("") = 0
    [InlineData("123456789", 643)]   // crc32c check value 0xE3069283 mod 4096
    public void BucketOf_IsCrc32cModBucketCount(string key, int bucket) =>
        Assert.Equal(bucket, KeyBuckets.BucketOf(Encoding.ASCII.GetBytes(key)));

    [Fact]
    public void Chunks_PartitionTheKeyspace_AndFollowDeletesAndFlush()
    {
        var h = new CommandHarness();
        for (int i = 0; i < 2000; i++)
            h.Run($"SET key:{i} {i}");
        for (int i = 0; i < 2000; i += 3)
            h.Run($"DEL key:{i}");

        var whole = h.Store.ComputeChunk(Everything, "m1");
        Assert.Equal(h.Store.Count, whole.KeyCount);
        long counted = 0;
        var xor = new byte[20];
        for (int from = 0; from < KeyBuckets.Count; from += 100)
        {
            var part = h.Store.ComputeChunk(new CheckMarker("t", 1, CheckMarkerKind.Keys, from, Math.Min(from + 100, KeyBuckets.Count)), "m1");
            counted += part.KeyCount;
            Assert.All(part.Keys, k => Assert.InRange(KeyBuckets.BucketOf(k.Key), from, from + 99));
            for (int i = 0; i < 20; i++)
                xor[i] ^= part.Digest[i];
        }
        Assert.Equal(whole.KeyCount, counted);
        Assert.Equal(whole.Digest, xor);

        h.Run("FLUSHALL");
        var empty = h.Store.ComputeChunk(Everything, "m1");
        Assert.Equal(0, empty.KeyCount);
        Assert.Equal(new byte[20], empty.Digest);
    }

    [Fact]
    public void SameData_InAnotherOrder_GivesTheSameChunk()
    {
        var a = new CommandHarness();
        a.Run("SET s v"); a.Run("HSET h f1 1 f2 2"); a.Run("SADD set x y"); a.Run("PEXPIREAT s 5000000");
        var b = new CommandHarness();
        b.Run("SADD set y x"); b.Run("HSET h f2 2 f1 1"); b.Run("SET s v PXAT 5000000");
        Assert.True(a.Store.ComputeChunk(Everything, "a").SameAs(b.Store.ComputeChunk(Everything, "b")));
    }

    [Theory]
    [InlineData("SET s w KEEPTTL", DifferenceKind.Value)]
    [InlineData("SET s w", DifferenceKind.Value | DifferenceKind.Ttl)]
    [InlineData("PEXPIREAT s 5000001", DifferenceKind.Ttl)]
    [InlineData("PERSIST s", DifferenceKind.Ttl)]
    [InlineData("HSET h f1 9", DifferenceKind.Value)]
    [InlineData("DEL s", DifferenceKind.MissingOnSlave)]
    [InlineData("SET extra v", DifferenceKind.MissingOnMaster)]
    [InlineData("DEL h", DifferenceKind.MissingOnSlave)]
    public void OneChange_DiffersTheChunk_AndNarrowsToThatKey(string change, DifferenceKind expected)
    {
        var master = Seeded();
        var slave = Seeded();
        slave.Run(change);

        var mine = master.Store.ComputeChunk(Everything, "m1");
        var theirs = slave.Store.ComputeChunk(Everything, "s1");
        Assert.False(mine.SameAs(theirs));
        var difference = Assert.Single(ChunkComparer.Compare(mine.Keys, theirs.Keys));
        Assert.Equal(change.Split(' ')[1], Encoding.ASCII.GetString(difference.Key));
        Assert.Equal(expected, difference.Kind);
    }

    [Fact]
    public void TypeChange_IsReportedAsTypeAndValue()
    {
        var master = Seeded();
        var slave = Seeded();
        slave.Run("DEL s");
        slave.Run("RPUSH s v");
        slave.Run("PEXPIREAT s 5000000");
        var difference = Assert.Single(ChunkComparer.Compare(master.Store.ComputeChunk(Everything, "m").Keys, slave.Store.ComputeChunk(Everything, "s").Keys));
        Assert.Equal(DifferenceKind.Type | DifferenceKind.Value, difference.Kind);
    }

    [Fact]
    public void DigestOnlyMarker_CarriesNoKeys()
    {
        var h = Seeded();
        var result = h.Store.ComputeChunk(Everything with { Kind = CheckMarkerKind.Digest }, "m1");
        Assert.Empty(result.Keys);
        Assert.Equal(3, result.KeyCount);
    }

    private static CommandHarness Seeded()
    {
        var h = new CommandHarness();
        h.Run("SET s v");
        h.Run("PEXPIREAT s 5000000");
        h.Run("HSET h f1 1 f2 2");
        h.Run("SADD set x y");
        return h;
    }
}
