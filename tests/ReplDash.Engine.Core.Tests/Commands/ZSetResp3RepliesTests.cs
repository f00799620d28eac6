using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>
/// Sorted-set and HRANDFIELD replies to a RESP3 client (after HELLO 3), in the shapes Redis 7.0 sends: scores as RESP3
/// doubles, WITHSCORES/WITHVALUES as arrays of pairs, and the exceptions Redis makes (ZPOPMIN without a count and
/// BZPOPMIN stay flat, ZSCAN lists strings). RESP2 replies stay byte for byte as before.
/// </summary>
public class ZSetResp3RepliesTests
{
    private readonly CommandHarness _h = new() { Protocol = 3 };

    private static string Double(string text) => $",{text}\r\n";

    private static string Pair(string member, string score) => "*2\r\n" + Resp.Bulk(member) + Double(score);

    private const string Null = "_\r\n";

    [Fact]
    public void Scores_AreDoubles_AndMissingOnesAreRespThreeNulls()
    {
        _h.Run("ZADD z 1.5 a -inf b");
        _h.Expect("ZSCORE z a", Double("1.5"));
        _h.Expect("ZSCORE z b", Double("-inf"));
        _h.Expect("ZSCORE z nobody", Null);
        _h.Expect("ZMSCORE z a nobody", "*2\r\n" + Double("1.5") + Null);
        _h.Expect("ZINCRBY z 0.1 a", Double("1.6000000000000001"));
        _h.Expect("ZADD z INCR 1 a", Double("2.6000000000000001"));
        _h.Expect("ZADD z XX INCR 1 nobody", Null);
        _h.Expect("ZRANK z nobody", Null);
    }

    [Fact]
    public void WithScores_IsAnArrayOfPairs_WithoutScoresStaysFlat()
    {
        _h.Run("ZADD z 1 a 2 b");
        _h.Run("ZADD y 3 b");
        _h.Expect("ZRANGE z 0 -1 WITHSCORES", "*2\r\n" + Pair("a", "1") + Pair("b", "2"));
        _h.Expect("ZRANGE z 0 -1", Resp.Array("a", "b"));
        _h.Expect("ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 0 1", "*1\r\n" + Pair("b", "2"));
        _h.Expect("ZUNION 2 z y WITHSCORES", "*2\r\n" + Pair("a", "1") + Pair("b", "5"));
        _h.Expect("ZINTER 2 z y WITHSCORES", "*1\r\n" + Pair("b", "5"));
        _h.Expect("ZDIFF 2 z y WITHSCORES", "*1\r\n" + Pair("a", "1"));
        _h.Expect("ZRANGE nothing 0 -1 WITHSCORES", Resp.EmptyArray);
    }

    [Fact]
    public void Pops_FollowRedisShapes_FlatWithoutACount_PairsWithOne()
    {
        _h.Run("ZADD z 1 a 2 b 3 c 4 d 5 e");
        _h.Expect("ZPOPMIN z", "*2\r\n" + Resp.Bulk("a") + Double("1"));
        _h.Expect("ZPOPMAX z 1", "*1\r\n" + Pair("e", "5"));
        _h.Expect("ZPOPMIN z 2", "*2\r\n" + Pair("b", "2") + Pair("c", "3"));
        _h.Expect("ZPOPMIN nothing", Resp.EmptyArray);
        _h.Expect("BZPOPMAX z 0", "*3\r\n" + Resp.Bulk("z") + Resp.Bulk("d") + Double("4"));
        _h.Run("ZADD z 6 f 7 g");
        _h.Expect("ZMPOP 1 z MIN COUNT 5", "*2\r\n" + Resp.Bulk("z") + "*2\r\n" + Pair("f", "6") + Pair("g", "7"));
        _h.Expect("ZMPOP 1 z MIN", Null);
    }

    [Fact]
    public void ZRandMember_WithScoresGivesPairs_ZScanListsStrings()
    {
        _h.Run("ZADD z 1 a 2 b 3 c");
        string pairs = _h.Run("ZRANDMEMBER z 3 WITHSCORES");
        Assert.StartsWith("*3\r\n*2\r\n$1\r\n", pairs);
        Assert.Equal(3, pairs.Split(",").Length - 1);
        Assert.StartsWith("*2\r\n$1\r\n", _h.Run("ZRANDMEMBER z 2"));
        Assert.StartsWith("*4\r\n*2\r\n", _h.Run("ZRANDMEMBER z -4 WITHSCORES"));
        string scan = _h.Run("ZSCAN z 0");
        Assert.StartsWith("*2\r\n" + Resp.Bulk("0") + "*6\r\n", scan);
        Assert.DoesNotContain(",", scan);
        Assert.Contains(Resp.Bulk("b") + Resp.Bulk("2"), scan);
    }

    [Fact]
    public void HRandField_WithValuesGivesPairs_InRespThreeOnly()
    {
        _h.Run("HSET h f v");
        _h.Expect("HRANDFIELD h 1 WITHVALUES", "*1\r\n*2\r\n" + Resp.Bulk("f") + Resp.Bulk("v"));
        _h.Expect("HRANDFIELD h 1", Resp.Array("f"));
        _h.Expect("HRANDFIELD h -2 WITHVALUES", "*2\r\n*2\r\n" + Resp.Bulk("f") + Resp.Bulk("v") + "*2\r\n" + Resp.Bulk("f") + Resp.Bulk("v"));
        _h.Expect("HRANDFIELD nothing", Null);
        _h.Protocol = 2;
        _h.Expect("HRANDFIELD h 1 WITHVALUES", Resp.Array("f", "v"));
        _h.Expect("HRANDFIELD h -2 WITHVALUES", Resp.Array("f", "v", "f", "v"));
    }

    [Fact]
    public void RespTwo_KeepsFlatArraysAndBulkScores()
    {
        _h.Protocol = 2;
        _h.Run("ZADD z 1 a 2 b");
        _h.Expect("ZSCORE z a", Resp.Bulk("1"));
        _h.Expect("ZRANGE z 0 -1 WITHSCORES", Resp.Array("a", "1", "b", "2"));
        _h.Expect("ZPOPMIN z 1", Resp.Array("a", "1"));
        _h.Expect("ZMPOP 1 z MAX", "*2\r\n" + Resp.Bulk("z") + "*1\r\n*2\r\n" + Resp.Bulk("b") + Resp.Bulk("2"));
    }
}
