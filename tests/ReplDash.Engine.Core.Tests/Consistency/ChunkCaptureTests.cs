using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Core.Tests.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Consistency;

/// <summary>
/// A chunk is captured under the node lock and hashed later, outside it (docs/CONSISTENCY.md): the digest must be the
/// one of the data at the capture, whatever the writes do meanwhile, and the same bytes as before the split.
/// </summary>
public class ChunkCaptureTests
{
    private static readonly CheckMarker Everything = new("t", 0, CheckMarkerKind.Keys, 0, KeyBuckets.Count);

    [Fact]
    public void Digest_IsPinned_SoNodesOfTheLastReleaseAndThisOneAgree()
    {
        // SHA-1 layouts of docs/CONSISTENCY.md, computed outside the project (Python hashlib) for these five keys.
        var h = new CommandHarness();
        h.Run("SET s v");
        h.Run("PEXPIREAT s 5000000");
        h.Run("HSET h f2 2 f1 1");
        h.Run("SADD set y x");
        h.Run("RPUSH l b a");

        var result = h.Store.ComputeChunk(Everything, "m1");

        Assert.Equal("12e89db35d52ef02bd74a0ef86e56d0d82d17db7", Convert.ToHexStringLower(result.Digest));
        var values = result.Keys.ToDictionary(k => System.Text.Encoding.ASCII.GetString(k.Key), k => Convert.ToHexStringLower(k.ValueDigest));
        Assert.Equal("1cf8b3edc9a9bdce9276077f46fc7fb6f766b8f3", values["s"]);
        Assert.Equal("f122359e2bdf850e02319378c60f26180db35cb1", values["h"]);
        Assert.Equal("1df21ffdaec3f8497007232b01b73526a501fa9c", values["set"]);
        Assert.Equal("c99b97a1cd717e358fae46b688ab9519f81d4f60", values["l"]);
    }

    [Fact]
    public void Capture_HashedAfterWrites_GivesTheDigestOfTheDataAtTheCapture()
    {
        var h = new CommandHarness();
        for (int i = 0; i < 300; i++)
            h.Run($"SET key:{i} {i}");
        h.Run("HSET h f1 1 f2 2");
        h.Run("SADD set x y");
        h.Run("RPUSH l a b c");
        h.Run("APPEND key:1 more");
        var before = h.Store.ComputeChunk(Everything, "m1");

        var capture = h.Store.CaptureChunk(Everything);
        // Every kind of change, to every type, between the capture and the hashing.
        foreach (var write in new[]
                 {
                     "SET key:0 changed", "APPEND key:1 again", "INCR key:2", "DEL key:3", "SET new v", "PEXPIREAT key:4 9000000",
                     "HSET h f1 9", "HSET h f3 3", "HDEL h f2", "SADD set z", "SREM set x", "RPUSH l d", "LPOP l", "RPOP l",
                 })
            h.Run(write);
        var hashedLater = capture.Compute("m1");

        Assert.Equal(before.KeyCount, hashedLater.KeyCount);
        Assert.Equal(before.Digest, hashedLater.Digest);
        Assert.Empty(ChunkComparer.Compare(before.Keys, hashedLater.Keys));
        Assert.False(h.Store.ComputeChunk(Everything, "m1").SameAs(before));
    }

    [Fact]
    public void LargeValue_HashedIncrementally_FollowsTheSameLayout()
    {
        // A value above the one-buffer limit takes the incremental path; its digests must be the documented layout.
        var big = System.Text.Encoding.ASCII.GetBytes(new string('x', (1 << 20) + 10));
        var h = new CommandHarness();
        h.Run([System.Text.Encoding.ASCII.GetBytes("SET"), System.Text.Encoding.ASCII.GetBytes("big"), big]);

        var key = Assert.Single(h.Store.ComputeChunk(Everything, "m1").Keys);

        byte[] valueInput = [1, .. BitConverter.GetBytes(1), .. BitConverter.GetBytes(big.Length), .. big];
        Assert.Equal(System.Security.Cryptography.SHA1.HashData(valueInput), key.ValueDigest);
    }
}
