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

    [Fact]
    public void Digests_AreTheDocumentedSha1Layout_ForSmallAndLargeValues()
    {
        // The bytes docs/CONSISTENCY.md specifies, hashed independently of KeyDigester: a digest computed another way
        // (a reused hash instance, one buffer, or appends for a value over 1 MiB) must give exactly these.
        var h = new CommandHarness();
        string large = new('x', (1 << 20) + 10);
        h.Run("SET s v");
        h.Run("PEXPIREAT s 5000000");
        h.Run("HSET h f2 2 f1 1");
        h.Run($"SET big {large}");
        var result = h.Store.ComputeChunk(Everything, "m1");

        var expected = new Dictionary<string, (byte Type, long Expiry, byte[][] Elements)>
        {
            ["s"] = (1, 5000000, [Encoding.ASCII.GetBytes("v")]),
            ["h"] = (2, 0, [.. new[] { "f1", "1", "f2", "2" }.Select(Encoding.ASCII.GetBytes)]),
            ["big"] = (1, 0, [Encoding.ASCII.GetBytes(large)]),
        };
        var total = new byte[20];
        foreach (var key in result.Keys)
        {
            var (type, expiry, elements) = expected[Encoding.ASCII.GetString(key.Key)];
            var valueInput = new List<byte> { type };
            valueInput.AddRange(BitConverter.GetBytes(elements.Length));
            foreach (var element in elements)
                valueInput.AddRange([.. BitConverter.GetBytes(element.Length), .. element]);
            byte[] valueDigest = System.Security.Cryptography.SHA1.HashData([.. valueInput]);
            Assert.Equal(valueDigest, key.ValueDigest);
            byte[] keyDigest = System.Security.Cryptography.SHA1.HashData(
                [.. BitConverter.GetBytes(key.Key.Length), .. key.Key, type, .. BitConverter.GetBytes(expiry), .. valueDigest]);
            for (int i = 0; i < 20; i++)
                total[i] ^= keyDigest[i];
        }
        Assert.Equal(3, result.KeyCount);
        Assert.Equal(total, result.Digest);
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
