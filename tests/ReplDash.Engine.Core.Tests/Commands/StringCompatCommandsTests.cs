using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>SETEX, PSETEX, GETEX, GETDEL, SETRANGE, GETRANGE, SUBSTR, INCRBYFLOAT, MSETNX and LCS, with Redis 7's replies and errors.</summary>
public class StringCompatCommandsTests
{
    private readonly CommandHarness _h = new(nowMs: 1_000_000);

    [Fact]
    public void SetEx_SetsValueAndTtl_AndIsLoggedAsSetPxat()
    {
        _h.Expect("SETEX k 10 v", Resp.Ok);
        Assert.Equal(["SET k v PXAT 1010000"], _h.LastEffects);
        _h.Expect("TTL k", Resp.Int(10));
        _h.Expect("PSETEX k 2500 w", Resp.Ok);
        Assert.Equal(["SET k w PXAT 1002500"], _h.LastEffects);
        _h.Expect("GET k", Resp.Bulk("w"));
    }

    [Theory]
    [InlineData("SETEX k 0 v", "ERR invalid expire time in 'setex' command")]
    [InlineData("SETEX k -10 v", "ERR invalid expire time in 'setex' command")]
    [InlineData("PSETEX k 0 v", "ERR invalid expire time in 'psetex' command")]
    [InlineData("SETEX k 9223372036854775807 v", "ERR invalid expire time in 'setex' command")]
    [InlineData("SETEX k ten v", "ERR value is not an integer or out of range")]
    public void SetEx_BadTimes_AreRefusedWithRedisText(string command, string error)
    {
        _h.Expect(command, Resp.Error(error));
        Assert.Empty(_h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
    }

    [Fact]
    public void SetEx_OverAnotherType_ReplacesIt()
    {
        _h.Run("LPUSH k a");
        _h.Expect("SETEX k 10 v", Resp.Ok);
        _h.Expect("TYPE k", "+string\r\n");
    }

    [Fact]
    public void GetDel_ReturnsAndDeletes_LoggedAsDel()
    {
        _h.Expect("GETDEL k", Resp.Nil);
        Assert.Empty(_h.LastEffects);
        _h.Run("SET k v");
        _h.Expect("GETDEL k", Resp.Bulk("v"));
        Assert.Equal(["DEL k"], _h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
        _h.Run("SADD s a");
        _h.Expect("GETDEL s", Resp.WrongType);
    }

    [Fact]
    public void GetEx_ChangesTheExpiry_AndLogsAbsoluteForms()
    {
        _h.Run("SET k v");
        _h.Expect("GETEX k", Resp.Bulk("v"));
        Assert.Empty(_h.LastEffects);
        _h.Expect("GETEX k EX 100", Resp.Bulk("v"));
        Assert.Equal(["PEXPIREAT k 1100000"], _h.LastEffects);
        _h.Expect("GETEX k PX 50", Resp.Bulk("v"));
        Assert.Equal(["PEXPIREAT k 1000050"], _h.LastEffects);
        _h.Expect("GETEX k EXAT 2000", Resp.Bulk("v"));
        Assert.Equal(["PEXPIREAT k 2000000"], _h.LastEffects);
        _h.Expect("GETEX k PERSIST", Resp.Bulk("v"));
        Assert.Equal(["PERSIST k"], _h.LastEffects);
        _h.Expect("TTL k", Resp.Int(-1));
        _h.Expect("GETEX k PERSIST", Resp.Bulk("v"));
        Assert.Empty(_h.LastEffects); // nothing to clear, nothing logged
    }

    [Fact]
    public void GetEx_AbsoluteTimeInThePast_DeletesTheKey_LoggedAsDel()
    {
        _h.Run("SET k v");
        _h.Expect("GETEX k PXAT 999999", Resp.Bulk("v"));
        Assert.Equal(["DEL k"], _h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
    }

    [Theory]
    [InlineData("GETEX k EX 10 PX 10", "ERR syntax error")]
    [InlineData("GETEX k PERSIST EX 10", "ERR syntax error")]
    [InlineData("GETEX k EX", "ERR syntax error")]
    [InlineData("GETEX k KEEPTTL", "ERR syntax error")]
    [InlineData("GETEX k EX 0", "ERR invalid expire time in 'getex' command")]
    [InlineData("GETEX k PXAT -1", "ERR invalid expire time in 'getex' command")]
    [InlineData("GETEX k EX abc", "ERR value is not an integer or out of range")]
    public void GetEx_BadOptions_AreRefused(string command, string error)
    {
        _h.Run("SET k v");
        _h.Expect(command, Resp.Error(error));
        _h.Expect("TTL k", Resp.Int(-1));
    }

    [Fact]
    public void GetEx_MissingKey_IsNil_EvenWithABadNumber()
    {
        _h.Expect("GETEX nokey EX abc", Resp.Nil);
    }

    [Fact]
    public void SetRange_PadsWithZeros_AndKeepsTheExpiry()
    {
        _h.Expect("SETRANGE k 5 ab", Resp.Int(7));
        Assert.Equal(["SETRANGE k 5 ab"], _h.LastEffects);
        _h.Expect("GET k", Resp.Bulk("\0\0\0\0\0ab"));
        _h.Run("SET w Hello EX 100");
        _h.Expect("SETRANGE w 1 ipp", Resp.Int(5));
        _h.Expect("GET w", Resp.Bulk("Hippo"));
        _h.Expect("TTL w", Resp.Int(100));
    }

    [Fact]
    public void SetRange_EmptyValue_CreatesNothingAndAnswersTheLength()
    {
        _h.Expect("SETRANGE k 10 ", Resp.Int(0));
        _h.Expect("EXISTS k", Resp.Int(0));
        _h.Run("SET w abc");
        _h.Expect("SETRANGE w 10 ", Resp.Int(3));
        Assert.Empty(_h.LastEffects);
    }

    [Theory]
    [InlineData("SETRANGE k -1 x", "ERR offset is out of range")]
    [InlineData("SETRANGE k x x", "ERR value is not an integer or out of range")]
    [InlineData("SETRANGE k 536870911 xx", "ERR string exceeds maximum allowed size (proto-max-bulk-len)")]
    [InlineData("SETRANGE k 9223372036854775807 A", "ERR string exceeds maximum allowed size (proto-max-bulk-len)")]
    [InlineData("SETRANGE k 2147483647 A", "ERR string exceeds maximum allowed size (proto-max-bulk-len)")]
    public void SetRange_BadOffsets_AreRefused(string command, string error) => _h.Expect(command, Resp.Error(error));

    [Fact]
    public void SetRange_OnAnotherType_IsWrongType()
    {
        _h.Run("LPUSH l a");
        _h.Expect("SETRANGE l 0 x", Resp.WrongType);
    }

    [Theory]
    [InlineData("0 3", "This")]
    [InlineData("-3 -1", "ing")]
    [InlineData("0 -1", "This is a string")]
    [InlineData("10 100", "string")]
    [InlineData("5 3", "")]
    [InlineData("-1 -5", "")]
    [InlineData("-100 2", "Thi")]
    [InlineData("100 200", "")]
    public void GetRange_FollowsRedisIndexRules(string range, string expected)
    {
        _h.Run(["SET"u8.ToArray(), "k"u8.ToArray(), "This is a string"u8.ToArray()]);
        _h.Expect("GETRANGE k " + range, Resp.Bulk(expected));
        _h.Expect("SUBSTR k " + range, Resp.Bulk(expected));
    }

    [Fact]
    public void GetRange_MissingKeyIsEmpty_AndBadIndexesAreErrors()
    {
        _h.Expect("GETRANGE k 0 -1", Resp.Bulk(""));
        _h.Expect("GETRANGE k a 1", Resp.NotInteger);
    }

    [Theory]
    [InlineData("10.5", "0.1", "10.6")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("1", "-1.5", "-0.5")]
    [InlineData("0", "1e20", "100000000000000000000")]
    [InlineData("0", "1e-7", "0.0000001")]
    [InlineData("4.1", "-1", "3.1")] // Redis's long double answers 3.1 where a double sum would be 3.0999999999999996
    [InlineData("3.0000", "1.1", "4.1")]
    [InlineData("0.024390243902439025", "-0.024390243902439025", "0")]
    [InlineData("1e-30", "1e-30", "0.000000000000000000000000000002")]
    public void IncrByFloat_AddsAndFormatsWithoutExponent_LoggedAsSetKeepTtl(string start, string increment, string expected)
    {
        _h.Run("SET k " + start);
        _h.Expect($"INCRBYFLOAT k {increment}", Resp.Bulk(expected));
        Assert.Equal([$"SET k {expected} KEEPTTL"], _h.LastEffects);
    }

    [Fact]
    public void IncrByFloat_NeverAnswersNegativeZero()
    {
        _h.Run("INCRBYFLOAT k 0.25");
        _h.Expect("INCRBYFLOAT k -0.25", Resp.Bulk("0"));
    }

    [Fact]
    public void IncrByFloat_MissingKeyStartsAtZero_AndKeepsTheTtl()
    {
        _h.Expect("INCRBYFLOAT k 1.5", Resp.Bulk("1.5"));
        _h.Run("EXPIRE k 100");
        _h.Expect("INCRBYFLOAT k 1", Resp.Bulk("2.5"));
        _h.Expect("TTL k", Resp.Int(100));
    }

    [Theory]
    [InlineData("abc", "1", "ERR value is not a valid float")]
    [InlineData("1", "abc", "ERR value is not a valid float")]
    [InlineData("1", "1x", "ERR value is not a valid float")]
    [InlineData("1", "nan", "ERR value is not a valid float")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e308", "ERR increment would produce NaN or Infinity")]
    [InlineData("0", "+inf", "ERR increment would produce NaN or Infinity")]
    [InlineData("0", "-Infinity", "ERR increment would produce NaN or Infinity")]
    [InlineData("0", "1e400", "ERR value is not a valid float")]
    public void IncrByFloat_BadNumbers_AreRefused(string start, string increment, string error)
    {
        _h.Run("SET k " + start);
        _h.Expect($"INCRBYFLOAT k {increment}", Resp.Error(error));
        _h.Expect("GET k", Resp.Bulk(start));
    }

    [Fact]
    public void IncrByFloat_ValueWithSpaces_IsNotAFloat()
    {
        _h.Run(["SET"u8.ToArray(), "k"u8.ToArray(), " 11"u8.ToArray()]);
        _h.Expect("INCRBYFLOAT k 1", Resp.Error("ERR value is not a valid float"));
        _h.Run("LPUSH l a");
        _h.Expect("INCRBYFLOAT l 1", Resp.WrongType);
    }

    [Fact]
    public void MSetNx_SetsAllOrNothing_LoggedAsMSet()
    {
        _h.Expect("MSETNX a 1 b 2", Resp.Int(1));
        Assert.Equal(["MSET a 1 b 2"], _h.LastEffects);
        _h.Expect("MSETNX b 3 c 4", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("EXISTS c", Resp.Int(0));
        _h.Expect("GET b", Resp.Bulk("2"));
        _h.Expect("MSETNX a 1 b", Resp.Error("ERR wrong number of arguments for 'msetnx' command"));
    }

    [Fact]
    public void MSetNx_AnExpiredKeyCountsAsAbsent()
    {
        _h.Run("SET a 1 PX 10");
        _h.NowMs += 20;
        _h.Expect("MSETNX a 2", Resp.Int(1));
        Assert.Equal(["DEL a", "MSET a 2"], _h.LastEffects);
    }

    [Fact]
    public void Lcs_MatchesRedisExamples()
    {
        _h.Run("MSET key1 ohmytext key2 mynewtext");
        _h.Expect("LCS key1 key2", Resp.Bulk("mytext"));
        _h.Expect("LCS key1 key2 LEN", Resp.Int(6));
        _h.Expect("LCS key1 key2 IDX",
            "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
        _h.Expect("LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN",
            "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n");
    }

    [Fact]
    public void Lcs_MissingKeysAreEmpty_AndErrorsUseRedisText()
    {
        _h.Expect("LCS a b", Resp.Bulk(""));
        _h.Expect("LCS a b LEN IDX", Resp.Error("ERR If you want both the length and indexes, please just use IDX."));
        _h.Expect("LCS a b FOO", Resp.Syntax);
        _h.Run("LPUSH l x");
        _h.Expect("LCS l a", Resp.Error("ERR The specified keys must contain string values"));
    }
}
