using System.Text;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>DUMP and RESTORE: Redis's payload format (RDB object, version, CRC-64), its options and errors, and the effects RESTORE replicates.</summary>
public class DumpRestoreCommandsTests
{
    private readonly CommandHarness _h = new();

    private static byte[][] Args(params object[] parts) =>
        parts.Select(p => p as byte[] ?? Encoding.UTF8.GetBytes((string)p)).ToArray();

    private byte[] Dump(string key)
    {
        byte[] reply = _h.RunBytes(Args("DUMP", key));
        int start = reply.AsSpan().IndexOf("\r\n"u8) + 2;
        return reply[start..^2];
    }

    [Fact]
    public void Crc64_IsRedisJonesVariant()
    {
        Assert.Equal(0xe9c6d914c4b8d9caUL, ReplDash.Engine.Core.Commands.Crc64Jones.Compute("123456789"u8));
    }

    [Fact]
    public void AStringPayload_IsRedisBytes()
    {
        _h.Run("SET k hello");
        // Redis 7.0.15 answers DUMP of "hello": type 0, length 5, the bytes, RDB version 10, CRC-64.
        var body = new byte[] { 0, 5, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 10, 0 };
        ulong crc = ReplDash.Engine.Core.Commands.Crc64Jones.Compute(body);
        var expected = body.Concat(BitConverter.GetBytes(crc)).ToArray();
        Assert.Equal(expected, Dump("k"));
        Assert.Equal(Resp.Nil, _h.Run("DUMP missing"));
    }

    [Theory]
    [InlineData("RPUSH src a b c", "LRANGE dst 0 -1")]
    [InlineData("SADD src a b c", "SMEMBERS dst")]
    [InlineData("HSET src f1 v1 f2 v2", "HGETALL dst")]
    [InlineData("ZADD src 1.5 a -inf b 3 c", "ZRANGE dst 0 -1 WITHSCORES")]
    [InlineData("SET src 12345", "GET dst")]
    public void EveryType_RoundTrips(string create, string read)
    {
        _h.Run(create);
        var payload = Dump("src");
        Assert.Equal(Resp.Ok, _h.Run(Args("RESTORE", "dst", "0", payload)));
        Assert.Equal(_h.Run(read.Replace("dst", "src")), _h.Run(read));
        Assert.Equal(Resp.Int(-1), _h.Run("TTL dst"));
    }

    [Fact]
    public void Restore_OptionsAndErrors_FollowRedis()
    {
        _h.Run("SET src v");
        var payload = Dump("src");
        Assert.Equal("-BUSYKEY Target key name already exists.\r\n", _h.Run(Args("RESTORE", "src", "0", payload)));
        Assert.Equal(Resp.Error("ERR Invalid TTL value, must be >= 0"), _h.Run(Args("RESTORE", "n", "-1", payload)));
        Assert.Equal(Resp.NotInteger, _h.Run(Args("RESTORE", "n", "x", payload)));
        Assert.Equal(Resp.Syntax, _h.Run(Args("RESTORE", "n", "0", payload, "BOGUS")));
        Assert.Equal(Resp.Error("ERR Invalid IDLETIME value, must be >= 0"), _h.Run(Args("RESTORE", "n", "0", payload, "IDLETIME", "-1")));
        Assert.Equal(Resp.Error("ERR Invalid FREQ value, must be >= 0 and <= 255"), _h.Run(Args("RESTORE", "n", "0", payload, "FREQ", "256")));
        Assert.Equal(Resp.Syntax, _h.Run(Args("RESTORE", "n", "0", payload, "IDLETIME", "1", "FREQ", "1")));
        var damaged = (byte[])payload.Clone();
        damaged[2] ^= 1;
        Assert.Equal(Resp.Error("ERR DUMP payload version or checksum are wrong"), _h.Run(Args("RESTORE", "n", "0", damaged)));
        Assert.Equal(Resp.Error("ERR DUMP payload version or checksum are wrong"), _h.Run(Args("RESTORE", "n", "0", "short")));
        Assert.Equal(Resp.Int(0), _h.Run("EXISTS n"));

        Assert.Equal(Resp.Ok, _h.Run(Args("RESTORE", "n", "5000", payload, "IDLETIME", "10")));
        Assert.Equal(Resp.Int(5), _h.Run("TTL n"));
        var effects = _h.AllEffects.TakeLast(2).ToList();
        Assert.Equal(Args("RESTORE", "n", "0", payload, "REPLACE"), effects[0]);
        Assert.Equal(Args("PEXPIREAT", "n", "1005000"), effects[1]);

        _h.Run("SET old x");
        Assert.Equal(Resp.Ok, _h.Run(Args("RESTORE", "old", "999999", payload, "REPLACE", "ABSTTL"))); // already past: nothing created
        Assert.Equal(["DEL old"], _h.LastEffects);
        Assert.Equal(Resp.Int(0), _h.Run("EXISTS old"));
    }

    [Fact]
    public void RedisEncodings_IntegerAndLzfStrings_AreRead()
    {
        // A set of two members as Redis may write them: "12" as an 8-bit integer, and "aaaaaaaaaa" compressed with LZF
        // (one literal 'a', then a back reference of 9 bytes at distance 1).
        var body = new List<byte> { 2, 2, 0xC0, 12, 0xC3, 5, 10, 0, (byte)'a', 0xE0, 0, 0 };
        body.AddRange(new byte[] { 10, 0 });
        var crc = ReplDash.Engine.Core.Commands.Crc64Jones.Compute(body.ToArray());
        var payload = body.Concat(BitConverter.GetBytes(crc)).ToArray();
        Assert.Equal(Resp.Ok, _h.Run(Args("RESTORE", "s", "0", payload)));
        Assert.Equal(Resp.Int(1), _h.Run("SISMEMBER s 12"));
        Assert.Equal(Resp.Int(1), _h.Run("SISMEMBER s aaaaaaaaaa"));

        // A listpack hash (type 16) is Redis's compact form, not read here.
        var listpack = new List<byte> { 16, 0, 10, 0 };
        var lpCrc = ReplDash.Engine.Core.Commands.Crc64Jones.Compute(listpack.ToArray());
        Assert.Equal(Resp.Error("ERR Bad data format"), _h.Run(Args("RESTORE", "h", "0", listpack.Concat(BitConverter.GetBytes(lpCrc)).ToArray())));
    }

    [Fact]
    public void RestoreEffects_ReplayedOnAReplica_GiveTheSameDigest()
    {
        var replica = new CommandHarness(nowMs: null);
        _h.Run("HSET h a 1 b 2");
        _h.Run("ZADD z 1 x 2.5 y");
        _h.Run(Args("RESTORE", "h2", "0", Dump("h")));
        _h.Run(Args("RESTORE", "z2", "100000", Dump("z")));
        _h.Run(Args("RESTORE", "h2", "0", Dump("z"), "REPLACE"));
        foreach (var effect in _h.AllEffects)
            Assert.False(replica.Run(effect).StartsWith('-'));
        Assert.Equal(_h.Store.DigestHex(), replica.Store.DigestHex());
    }
}
