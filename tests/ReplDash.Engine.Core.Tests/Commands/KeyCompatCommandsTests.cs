using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>RENAME, RENAMENX, COPY, EXPIRETIME, PEXPIRETIME, RANDOMKEY, TOUCH, UNLINK, OBJECT, MEMORY USAGE and SCAN TYPE.</summary>
public class KeyCompatCommandsTests
{
    private readonly CommandHarness _h = new(nowMs: 1_000_000);

    [Fact]
    public void Rename_MovesValueAndExpiry_ReplacingTheDestination()
    {
        _h.Run("SET a 1 EX 100");
        _h.Run("LPUSH b x");
        _h.Expect("RENAME a b", Resp.Ok);
        Assert.Equal(["RENAME a b"], _h.LastEffects);
        _h.Expect("EXISTS a", Resp.Int(0));
        _h.Expect("GET b", Resp.Bulk("1"));
        _h.Expect("TTL b", Resp.Int(100));
        _h.Run("SADD s m");
        _h.Expect("RENAME s t", Resp.Ok);
        _h.Expect("SMEMBERS t", Resp.Array("m"));
    }

    [Fact]
    public void Rename_MissingSource_IsAnError_EvenOntoItself()
    {
        _h.Expect("RENAME nokey x", Resp.Error("ERR no such key"));
        _h.Expect("RENAME nokey nokey", Resp.Error("ERR no such key"));
        _h.Expect("RENAMENX nokey x", Resp.Error("ERR no such key"));
        _h.Run("SET a 1");
        _h.Expect("RENAME a a", Resp.Ok);
        _h.Expect("RENAMENX a a", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void RenameNx_OnlyWhenTheDestinationIsFree()
    {
        _h.Run("SET a 1");
        _h.Run("SET b 2");
        _h.Expect("RENAMENX a b", Resp.Int(0));
        _h.Expect("GET b", Resp.Bulk("2"));
        _h.Expect("RENAMENX a c", Resp.Int(1));
        Assert.Equal(["RENAME a c"], _h.LastEffects);
        _h.Expect("GET c", Resp.Bulk("1"));
    }

    [Fact]
    public void Rename_AnExpiredSourceIsMissing()
    {
        _h.Run("SET a 1 PX 10");
        _h.NowMs += 20;
        _h.Expect("RENAME a b", Resp.Error("ERR no such key"));
        Assert.Equal(["DEL a"], _h.LastEffects);
    }

    [Fact]
    public void Copy_DuplicatesEveryType_IndependentOfTheSource()
    {
        _h.Run("HSET h f v");
        _h.Run("RPUSH l a b");
        _h.Run("SADD s m");
        _h.Run("SET str v PX 5000");
        foreach (var key in new[] { "h", "l", "s", "str" })
        {
            _h.Expect($"COPY {key} {key}2", Resp.Int(1));
            Assert.Equal([$"COPY {key} {key}2"], _h.LastEffects);
        }
        _h.Run("HSET h f changed");
        _h.Run("RPUSH l c");
        _h.Run("SADD s n");
        _h.Expect("HGET h2 f", Resp.Bulk("v"));
        _h.Expect("LRANGE l2 0 -1", Resp.Array("a", "b"));
        _h.Expect("SCARD s2", Resp.Int(1));
        _h.Expect("PTTL str2", Resp.Int(5000));
    }

    [Fact]
    public void Copy_DestinationExists_NeedsReplace()
    {
        _h.Run("SET a 1");
        _h.Run("SET b 2");
        _h.Expect("COPY a b", Resp.Int(0));
        _h.Expect("COPY a b REPLACE", Resp.Int(1));
        Assert.Equal(["COPY a b REPLACE"], _h.LastEffects);
        _h.Expect("GET b", Resp.Bulk("1"));
        _h.Expect("COPY nokey b", Resp.Int(0));
        _h.Expect("COPY a b DB 0 REPLACE", Resp.Int(1));
    }

    [Theory]
    [InlineData("COPY a a", "ERR source and destination objects are the same")]
    [InlineData("COPY a b FOO", "ERR syntax error")]
    [InlineData("COPY a b DB", "ERR syntax error")]
    [InlineData("COPY a b DB x", "ERR value is not an integer or out of range")]
    [InlineData("COPY a b DB 1", "ERR DB index is out of range")]
    public void Copy_BadArguments_AreRefused(string command, string error)
    {
        _h.Run("SET a 1");
        _h.Expect(command, Resp.Error(error));
    }

    [Fact]
    public void ExpireTime_AnswersAbsoluteTimes()
    {
        _h.Expect("EXPIRETIME k", Resp.Int(-2));
        _h.Run("SET k v");
        _h.Expect("EXPIRETIME k", Resp.Int(-1));
        _h.Expect("PEXPIRETIME k", Resp.Int(-1));
        _h.Run("PEXPIREAT k 2000123");
        _h.Expect("PEXPIRETIME k", Resp.Int(2000123));
        _h.Expect("EXPIRETIME k", Resp.Int(2000));
    }

    [Fact]
    public void RandomKey_NilWhenEmpty_SkipsExpiredKeysOnTheMaster()
    {
        _h.Expect("RANDOMKEY", Resp.Nil);
        _h.Run("SET live v");
        _h.Run("SET gone v PX 10");
        _h.NowMs += 20;
        for (int i = 0; i < 20; i++)
            _h.Expect("RANDOMKEY", Resp.Bulk("live"));
        _h.Expect("EXISTS gone", Resp.Int(0));
    }

    [Fact]
    public void RandomKey_ReturnsEveryKeySometimes()
    {
        for (int i = 0; i < 5; i++)
            _h.Run($"SET k{i} v");
        var seen = Enumerable.Range(0, 200).Select(_ => _h.Run("RANDOMKEY")).ToHashSet();
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public void Touch_CountsExistingKeys_Unlink_DeletesLikeDel()
    {
        _h.Run("MSET a 1 b 2");
        _h.Expect("TOUCH a b c", Resp.Int(2));
        Assert.Empty(_h.LastEffects);
        _h.Expect("UNLINK a c", Resp.Int(1));
        Assert.Equal(["DEL a"], _h.LastEffects);
    }

    [Theory]
    [InlineData("SET k 12345", "int")]
    [InlineData("SET k -9", "int")]
    [InlineData("SET k hello", "embstr")]
    [InlineData("SET k 0123", "embstr")]
    [InlineData("SET k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "raw")]
    [InlineData("HSET k f v", "listpack")]
    [InlineData("RPUSH k a", "quicklist")]
    [InlineData("SADD k 1 2 3", "intset")]
    [InlineData("SADD k a", "hashtable")]
    public void ObjectEncoding_AnswersRedisDefaultEncodings(string create, string encoding)
    {
        _h.Run(create);
        _h.Expect("OBJECT ENCODING k", Resp.Bulk(encoding));
    }

    [Fact]
    public void ObjectEncoding_AStringChangedInPlaceIsRaw_UntilReplaced()
    {
        _h.Run("SET k 1234");
        _h.Run("SETRANGE k 0 ");
        _h.Expect("OBJECT ENCODING k", Resp.Bulk("int")); // nothing changed
        _h.Run("SETRANGE k 1 3");
        _h.Expect("OBJECT ENCODING k", Resp.Bulk("raw"));
        _h.Run("SET k 1334");
        _h.Expect("OBJECT ENCODING k", Resp.Bulk("int"));
        _h.Run("APPEND k 5");
        _h.Expect("OBJECT ENCODING k", Resp.Bulk("raw"));
        _h.Run("INCR k");
        _h.Expect("OBJECT ENCODING k", Resp.Bulk("int"));
        _h.Run("SETBIT b 1 1");
        _h.Expect("OBJECT ENCODING b", Resp.Bulk("raw"));
    }

    [Fact]
    public void Object_OtherSubcommands()
    {
        _h.Expect("OBJECT ENCODING nokey", Resp.Nil);
        _h.Run("SET n 100");
        _h.Run("SET s hello");
        _h.Expect("OBJECT REFCOUNT n", Resp.Int(int.MaxValue));
        _h.Expect("OBJECT REFCOUNT s", Resp.Int(1));
        _h.NowMs += 5_000;
        _h.Expect("OBJECT IDLETIME s", Resp.Int(5));
        _h.Run("GET s");
        _h.Expect("OBJECT IDLETIME s", Resp.Int(0));
        _h.Expect("OBJECT FREQ s", Resp.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));
        _h.Expect("OBJECT FOO s", Resp.Error("ERR unknown subcommand 'FOO'. Try OBJECT HELP."));
        _h.Expect("OBJECT ENCODING", Resp.Error("ERR wrong number of arguments for 'object|encoding' command"));
        Assert.StartsWith("*", _h.Run("OBJECT HELP"));
    }

    [Fact]
    public void MemoryUsage_GrowsWithTheValue_AndIsNilForMissingKeys()
    {
        _h.Expect("MEMORY USAGE nokey", Resp.Nil);
        _h.Run("SET small v");
        _h.Run("SET big " + new string('x', 10_000));
        long small = long.Parse(_h.Run("MEMORY USAGE small")[1..^2]);
        long big = long.Parse(_h.Run("MEMORY USAGE big SAMPLES 0")[1..^2]);
        Assert.InRange(small, 50, 400);
        Assert.InRange(big - small, 9_900, 10_100);
        _h.Run("RPUSH l a b c");
        Assert.StartsWith(":", _h.Run("MEMORY USAGE l"));
        _h.Expect("MEMORY USAGE small SAMPLES -1", Resp.Syntax);
        _h.Expect("MEMORY USAGE small FOO", Resp.Syntax);
        _h.Expect("MEMORY DOCTOR", Resp.Error("ERR unknown subcommand 'DOCTOR'. Try MEMORY HELP."));
        _h.Expect("MEMORY USAGE", Resp.Error("ERR wrong number of arguments for 'memory|usage' command"));
    }

    [Fact]
    public void ScanType_FiltersByType()
    {
        _h.Run("SET s v");
        _h.Run("LPUSH l a");
        _h.Run("SADD set m");
        _h.Expect("SCAN 0 TYPE list COUNT 100", "*2\r\n$1\r\n0\r\n" + Resp.Array("l"));
        _h.Expect("SCAN 0 TYPE string", "*2\r\n$1\r\n0\r\n" + Resp.Array("s"));
        _h.Expect("SCAN 0 TYPE nosuchtype", "*2\r\n$1\r\n0\r\n" + Resp.EmptyArray);
    }
}
