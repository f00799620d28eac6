using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>Sorted-set commands: replies byte for byte as Redis 7.0 gives them, and the effects they replicate.</summary>
public class ZSetCommandsTests
{
    private readonly CommandHarness _h = new();

    private const string NotFloat = "-ERR value is not a valid float\r\n";
    private const string RangeNotFloat = "-ERR min or max is not a float\r\n";
    private const string LexNotValid = "-ERR min or max not valid string range item\r\n";

    [Fact]
    public void ZAdd_CountsAdded_CHCountsChanged_RecordsOnlyChanges()
    {
        _h.Expect("ZADD z 1 a 2 b", Resp.Int(2));
        Assert.Equal(["ZADD z 1 a 2 b"], _h.LastEffects);
        _h.Expect("ZADD z 1 a 3 b 4 c", Resp.Int(1));
        Assert.Equal(["ZADD z 3 b 4 c"], _h.LastEffects);
        _h.Expect("ZADD z CH 1 a 5 b 5 d", Resp.Int(2));
        _h.Expect("ZADD z 1 a", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("TYPE z", "+zset\r\n");
        _h.Expect("ZCARD z", Resp.Int(4));
        _h.Expect("ZRANGE z 0 -1 WITHSCORES", Resp.Array("a", "1", "c", "4", "b", "5", "d", "5"));
    }

    [Fact]
    public void ZAdd_Options_FollowRedis()
    {
        _h.Expect("ZADD z XX 1 a", Resp.Int(0));
        _h.Expect("EXISTS z", Resp.Int(0));
        _h.Expect("ZADD z NX 1 a", Resp.Int(1));
        _h.Expect("ZADD z NX 9 a 2 b", Resp.Int(1));
        _h.Expect("ZSCORE z a", Resp.Bulk("1"));
        _h.Expect("ZADD z XX CH 3 a 4 c", Resp.Int(1));
        _h.Expect("ZSCORE z c", Resp.Nil);
        _h.Expect("ZADD z GT CH 2 a 5 b", Resp.Int(1)); // a stays 3 (2 is not greater), b rises
        _h.Expect("ZMSCORE z a b c", "*3\r\n" + Resp.Bulk("3") + Resp.Bulk("5") + Resp.Nil);
        _h.Expect("ZADD z LT CH 1 a 9 b 7 e", Resp.Int(2)); // a falls, b stays, e is new (GT/LT never stop an add)
        _h.Expect("ZSCORE z e", Resp.Bulk("7"));
        _h.Expect("ZADD z NX XX 1 a", Resp.Error("ERR XX and NX options at the same time are not compatible"));
        _h.Expect("ZADD z GT LT 1 a", Resp.Error("ERR GT, LT, and/or NX options at the same time are not compatible"));
        _h.Expect("ZADD z NX GT 1 a", Resp.Error("ERR GT, LT, and/or NX options at the same time are not compatible"));
        _h.Expect("ZADD z INCR 1 a 2 b", Resp.Error("ERR INCR option supports a single increment-element pair"));
        _h.Expect("ZADD z 1", "-ERR wrong number of arguments for 'zadd' command\r\n");
        _h.Expect("ZADD z NX 1", Resp.Syntax);
        _h.Expect("ZADD z 1 a 2", Resp.Syntax);
        _h.Expect("ZADD z nan a", NotFloat);
        _h.Expect("ZADD z 1 a x b", NotFloat);
        _h.Expect("ZSCORE z a", Resp.Bulk("1")); // nothing applied when one score is bad
    }

    [Fact]
    public void ZAddIncr_AndZIncrBy_ReplicateTheResultingScore()
    {
        _h.Expect("ZADD z INCR 1.5 a", Resp.Bulk("1.5"));
        _h.Expect("ZINCRBY z 0.1 a", Resp.Bulk("1.6000000000000001"));
        Assert.Equal(["ZADD z 1.6000000000000001 a"], _h.LastEffects);
        _h.Expect("ZADD z XX INCR 1 missing", Resp.Nil);
        _h.Expect("ZADD z GT INCR -1 a", Resp.Nil);
        Assert.Empty(_h.LastEffects);
        _h.Expect("ZINCRBY z inf a", Resp.Bulk("inf"));
        _h.Expect("ZINCRBY z -inf a", Resp.Error("ERR resulting score is not a number (NaN)"));
        _h.Expect("ZSCORE z a", Resp.Bulk("inf"));
        _h.Expect("ZINCRBY z x a", NotFloat);
        _h.Expect("ZINCRBY missing 5 m", Resp.Bulk("5"));
    }

    [Fact]
    public void WrongType_IsRefused_ByEveryKind()
    {
        _h.Run("SET s v");
        foreach (var line in new[] { "ZADD s 1 a", "ZINCRBY s 1 a", "ZREM s a", "ZCARD s", "ZSCORE s a", "ZRANK s a", "ZRANGE s 0 -1",
                     "ZCOUNT s 0 1", "ZPOPMIN s", "ZRANDMEMBER s", "ZSCAN s 0", "ZUNION 1 s", "ZRANGESTORE d s 0 -1", "BZPOPMIN s 0" })
            _h.Expect(line, Resp.WrongType);
    }

    [Fact]
    public void ZRem_DeletesTheEmptyKey_AndRecordsRemovedMembers()
    {
        _h.Run("ZADD z 1 a 2 b");
        _h.Expect("ZREM z x", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("ZREM z a a x", Resp.Int(1));
        Assert.Equal(["ZREM z a"], _h.LastEffects);
        _h.Expect("ZREM z b", Resp.Int(1));
        _h.Expect("EXISTS z", Resp.Int(0));
        _h.Expect("ZREM z b", Resp.Int(0));
    }

    [Fact]
    public void Ranks_CountFromEitherEnd()
    {
        _h.Run("ZADD z 1 a 2 b 3 c");
        _h.Expect("ZRANK z a", Resp.Int(0));
        _h.Expect("ZRANK z c", Resp.Int(2));
        _h.Expect("ZREVRANK z c", Resp.Int(0));
        _h.Expect("ZRANK z x", Resp.Nil);
        _h.Expect("ZRANK missing x", Resp.Nil);
        _h.Expect("ZRANGE z 0 -1", Resp.Array("a", "b", "c"));
        _h.Expect("ZRANGE z -2 -1", Resp.Array("b", "c"));
        _h.Expect("ZRANGE z 1 100", Resp.Array("b", "c"));
        _h.Expect("ZRANGE z 2 1", Resp.EmptyArray);
        _h.Expect("ZRANGE z 5 10", Resp.EmptyArray);
        _h.Expect("ZRANGE z -100 0", Resp.Array("a"));
        _h.Expect("ZREVRANGE z 0 1 WITHSCORES", Resp.Array("c", "3", "b", "2"));
        _h.Expect("ZRANGE z 0 -1 REV", Resp.Array("c", "b", "a"));
        _h.Expect("ZRANGE z x 1", Resp.NotInteger);
        _h.Expect("ZRANGE missing 0 -1", Resp.EmptyArray);
        _h.Expect("ZRANGE z 0 -1 LIMIT 0 1", Resp.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
        _h.Expect("ZREVRANGE z 0 -1 REV", Resp.Syntax);
        _h.Expect("ZRANGE z 0 -1 BYLEX BYSCORE", Resp.Syntax);
    }

    [Fact]
    public void ScoreRanges_Inclusive_Exclusive_Infinite_WithLimit()
    {
        _h.Run("ZADD z -inf ninf 1 a 2 b 3 c 4 d inf pinf");
        _h.Expect("ZRANGEBYSCORE z 2 3", Resp.Array("b", "c"));
        _h.Expect("ZRANGEBYSCORE z (2 3", Resp.Array("c"));
        _h.Expect("ZRANGEBYSCORE z (2 (3", Resp.EmptyArray);
        _h.Expect("ZRANGEBYSCORE z -inf (1", Resp.Array("ninf"));
        _h.Expect("ZRANGEBYSCORE z (4 +inf WITHSCORES", Resp.Array("pinf", "inf"));
        _h.Expect("ZRANGEBYSCORE z 3 2", Resp.EmptyArray);
        _h.Expect("ZRANGEBYSCORE z 1 4 LIMIT 1 2", Resp.Array("b", "c"));
        _h.Expect("ZRANGEBYSCORE z 1 4 LIMIT 1 -1", Resp.Array("b", "c", "d"));
        _h.Expect("ZRANGEBYSCORE z 1 4 LIMIT -1 2", Resp.EmptyArray);
        _h.Expect("ZRANGEBYSCORE z 1 4 LIMIT 9 2", Resp.EmptyArray);
        _h.Expect("ZREVRANGEBYSCORE z 4 1 LIMIT 1 2", Resp.Array("c", "b"));
        _h.Expect("ZRANGE z (4 1 BYSCORE REV", Resp.Array("c", "b", "a"));
        _h.Expect("ZCOUNT z 1 4", Resp.Int(4));
        _h.Expect("ZCOUNT z (1 (4", Resp.Int(2));
        _h.Expect("ZCOUNT z -inf +inf", Resp.Int(6));
        _h.Expect("ZCOUNT missing 0 1", Resp.Int(0));
        _h.Expect("ZRANGEBYSCORE z str 1", RangeNotFloat);
        _h.Expect("ZRANGEBYSCORE z 1 NaN", RangeNotFloat);
        _h.Expect("ZCOUNT z ( 1", RangeNotFloat);
        _h.Expect("ZRANGEBYSCORE z 1 4 LIMIT 1", Resp.Syntax);
        _h.Expect("ZRANGEBYSCORE z 1 4 LIMIT x 1", Resp.NotInteger);
    }

    [Fact]
    public void LexRanges_FollowRedis()
    {
        _h.Run("ZADD z 0 a 0 b 0 c 0 d 0 e");
        _h.Expect("ZRANGEBYLEX z - +", Resp.Array("a", "b", "c", "d", "e"));
        _h.Expect("ZRANGEBYLEX z [b (d", Resp.Array("b", "c"));
        _h.Expect("ZRANGEBYLEX z (b [d", Resp.Array("c", "d"));
        _h.Expect("ZRANGEBYLEX z + -", Resp.EmptyArray);
        _h.Expect("ZREVRANGEBYLEX z + [c", Resp.Array("e", "d", "c"));
        _h.Expect("ZRANGE z [e [a BYLEX REV LIMIT 1 2", Resp.Array("d", "c"));
        _h.Expect("ZRANGEBYLEX z - + LIMIT 2 2", Resp.Array("c", "d"));
        _h.Expect("ZLEXCOUNT z [b +", Resp.Int(4));
        _h.Expect("ZLEXCOUNT z (e +", Resp.Int(0));
        _h.Expect("ZRANGEBYLEX z foo bar", LexNotValid);
        _h.Expect("ZRANGEBYLEX z +x [bar", LexNotValid);
        _h.Expect("ZLEXCOUNT z [a", "-ERR wrong number of arguments for 'zlexcount' command\r\n");
        _h.Expect("ZRANGEBYLEX z - + WITHSCORES", Resp.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
    }

    [Fact]
    public void RemoveRanges_ReplicateAsZRem()
    {
        _h.Run("ZADD z 1 a 2 b 3 c 4 d 5 e 0 x 0 y");
        _h.Expect("ZREMRANGEBYRANK z 0 1", Resp.Int(2));
        Assert.Equal(["ZREM z x y"], _h.LastEffects);
        _h.Expect("ZREMRANGEBYSCORE z (1 3", Resp.Int(2));
        Assert.Equal(["ZREM z b c"], _h.LastEffects);
        _h.Expect("ZREMRANGEBYSCORE z 100 200", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("ZREMRANGEBYRANK z -1 -1", Resp.Int(1));
        _h.Expect("ZRANGE z 0 -1", Resp.Array("a", "d"));
        _h.Expect("ZREMRANGEBYLEX z - +", Resp.Int(2));
        _h.Expect("EXISTS z", Resp.Int(0));
        _h.Expect("ZREMRANGEBYSCORE z a 1", RangeNotFloat);
        _h.Expect("ZREMRANGEBYLEX z a b", LexNotValid);
        _h.Expect("ZREMRANGEBYRANK z a 1", Resp.NotInteger);
        _h.Expect("ZREMRANGEBYRANK missing 0 -1", Resp.Int(0));
    }

    [Fact]
    public void Pops_ReplicateAsZRemOfWhatWasPopped()
    {
        _h.Run("ZADD z 1 a 2 b 3 c 4 d");
        _h.Expect("ZPOPMIN z", Resp.Array("a", "1"));
        Assert.Equal(["ZREM z a"], _h.LastEffects);
        _h.Expect("ZPOPMAX z 2", Resp.Array("d", "4", "c", "3"));
        Assert.Equal(["ZREM z d c"], _h.LastEffects);
        _h.Expect("ZPOPMIN z 0", Resp.EmptyArray);
        Assert.Empty(_h.LastEffects);
        _h.Expect("ZPOPMIN z -1", Resp.Error("ERR value is out of range, must be positive"));
        _h.Expect("ZPOPMIN z 1 2", Resp.Syntax);
        _h.Expect("ZPOPMAX z 10", Resp.Array("b", "2"));
        _h.Expect("EXISTS z", Resp.Int(0));
        _h.Expect("ZPOPMIN z", Resp.EmptyArray);
    }

    [Fact]
    public void BlockingPop_NonBlockingForm_ServesTheFirstReadyKey_OrAnswersNull()
    {
        _h.Expect("BZPOPMIN z1 z2 0", Resp.NilArray);
        _h.Run("ZADD z2 5 x 6 y");
        _h.Expect("BZPOPMIN z1 z2 0", Resp.Array("z2", "x", "5"));
        Assert.Equal(["ZREM z2 x"], _h.LastEffects);
        _h.Expect("BZPOPMAX z1 z2 0.5", Resp.Array("z2", "y", "6"));
        _h.Expect("BZPOPMIN z1 -1", Resp.Error("ERR timeout is negative"));
        _h.Expect("BZPOPMIN z1 abc", Resp.Error("ERR timeout is not a float or out of range"));
    }

    [Fact]
    public void Algebra_WeightsAggregate_AndPlainSets()
    {
        _h.Run("ZADD a 1 x 2 y 3 z");
        _h.Run("ZADD b 10 y 20 z 30 w");
        _h.Run("SADD s x w");
        _h.Expect("ZUNION 2 a b WITHSCORES", Resp.Array("x", "1", "y", "12", "z", "23", "w", "30"));
        _h.Expect("ZINTER 2 a b WITHSCORES", Resp.Array("y", "12", "z", "23"));
        _h.Expect("ZINTER 2 a b WEIGHTS 2 0.5 AGGREGATE MAX WITHSCORES", Resp.Array("y", "5", "z", "10"));
        _h.Expect("ZINTER 2 a b AGGREGATE MIN", Resp.Array("y", "z"));
        _h.Expect("ZDIFF 2 a b WITHSCORES", Resp.Array("x", "1"));
        _h.Expect("ZUNION 2 a s WITHSCORES", Resp.Array("w", "1", "x", "2", "y", "2", "z", "3"));
        _h.Expect("ZINTER 2 missing a", Resp.EmptyArray);
        _h.Expect("ZINTERCARD 2 a b", Resp.Int(2));
        _h.Expect("ZINTERCARD 2 a b LIMIT 1", Resp.Int(1));
        _h.Expect("ZINTERCARD 2 a b LIMIT -1", Resp.Error("ERR LIMIT can't be negative"));
        _h.Expect("ZUNION 0 a", Resp.Error("ERR at least 1 input key is needed for 'zunion' command"));
        _h.Expect("ZUNIONSTORE d 0 a", Resp.Error("ERR at least 1 input key is needed for 'zunionstore' command"));
        _h.Expect("ZUNION 3 a b", Resp.Syntax);
        _h.Expect("ZUNION 2 a b WEIGHTS 1", Resp.Syntax);
        _h.Expect("ZUNION 2 a b WEIGHTS 1 x", Resp.Error("ERR weight value is not a float"));
        _h.Expect("ZUNION 2 a b AGGREGATE avg", Resp.Syntax);
        _h.Expect("ZDIFF 2 a b WEIGHTS 1 2", Resp.Syntax);
        _h.Expect("ZUNIONSTORE d 2 a b WITHSCORES", Resp.Syntax);
        _h.Expect("ZUNION x a", Resp.NotInteger);
    }

    [Fact]
    public void InfinitiesAndNaN_InAggregates_FollowRedis()
    {
        _h.Run("ZADD a inf x");
        _h.Run("ZADD b -inf x");
        _h.Expect("ZUNION 2 a b WITHSCORES", Resp.Array("x", "0"));
        _h.Expect("ZUNION 1 a WEIGHTS 0 WITHSCORES", Resp.Array("x", "0"));
    }

    [Fact]
    public void Stores_ReplaceTheDestination_AndReplicateDelThenZAdd()
    {
        _h.Run("ZADD a 1 x 2 y");
        _h.Run("SET d old");
        _h.Run("PEXPIRE d 100000");
        _h.Expect("ZUNIONSTORE d 1 a WEIGHTS 3", Resp.Int(2));
        Assert.Equal(["DEL d", "ZADD d 3 x 6 y"], _h.LastEffects);
        _h.Expect("TYPE d", "+zset\r\n");
        _h.Expect("PTTL d", Resp.Int(-1));
        _h.Expect("ZINTERSTORE d 2 a missing", Resp.Int(0));
        Assert.Equal(["DEL d"], _h.LastEffects);
        _h.Expect("EXISTS d", Resp.Int(0));
        _h.Expect("ZDIFFSTORE d 1 missing", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("ZRANGESTORE d a 0 0", Resp.Int(1));
        Assert.Equal(["ZADD d 1 x"], _h.LastEffects);
        _h.Expect("ZRANGESTORE a a 1 1", Resp.Int(1)); // source and destination the same key
        _h.Expect("ZRANGE a 0 -1 WITHSCORES", Resp.Array("y", "2"));
        _h.Expect("ZRANGESTORE d a 0 -1 WITHSCORES", Resp.Syntax);
        _h.Expect("ZRANGESTORE d missing 0 -1", Resp.Int(0));
    }

    [Fact]
    public void ZRandMember_ChoosesFromTheSet_AndHonoursCountSign()
    {
        _h.Run("ZADD z 1 a 2 b 3 c");
        Assert.Contains(_h.Run("ZRANDMEMBER z"), new[] { Resp.Bulk("a"), Resp.Bulk("b"), Resp.Bulk("c") });
        _h.Expect("ZRANDMEMBER missing", Resp.Nil);
        _h.Expect("ZRANDMEMBER missing 3", Resp.EmptyArray);
        _h.Expect("ZRANDMEMBER z 0", Resp.EmptyArray);
        var distinct = _h.Run("ZRANDMEMBER z 2").Split("\r\n");
        Assert.Equal("*2", distinct[0]);
        Assert.NotEqual(distinct[2], distinct[4]);
        Assert.StartsWith("*10\r\n", _h.Run("ZRANDMEMBER z -10"));
        Assert.StartsWith("*3\r\n", _h.Run("ZRANDMEMBER z 5"));
        Assert.StartsWith("*6\r\n", _h.Run("ZRANDMEMBER z 5 WITHSCORES"));
        Assert.StartsWith("*4\r\n", _h.Run("ZRANDMEMBER z -2 WITHSCORES"));
        _h.Expect("ZRANDMEMBER z 1 WITH", Resp.Syntax);
        _h.Expect("ZRANDMEMBER z -9223372036854775808", Resp.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
        _h.Expect("ZRANDMEMBER z -9223372036854770000 WITHSCORES", Resp.Error("ERR value is out of range"));
        Assert.DoesNotContain(_h.AllEffects, e => System.Text.Encoding.ASCII.GetString(e[0]) != "ZADD");
    }

    [Fact]
    public void ZScan_WalksEveryMember_WithScores_AndMatch()
    {
        for (int i = 0; i < 25; i++)
            _h.Run($"ZADD z {i} m{i}");
        var seen = new List<string>();
        string cursor = "0";
        do
        {
            var parts = _h.Run($"ZSCAN z {cursor} COUNT 7").Split("\r\n");
            cursor = parts[2];
            int n = int.Parse(parts[3][1..]);
            for (int i = 0; i < n; i += 2)
            {
                string member = parts[5 + 2 * i];
                string score = parts[7 + 2 * i];
                Assert.Equal("m" + score, member);
                seen.Add(member);
            }
        }
        while (cursor != "0");
        Assert.Equal(25, seen.Distinct().Count());
        _h.Expect("ZSCAN z 0 MATCH m1? COUNT 100", "*2\r\n" + Resp.Bulk("0") +
            Resp.Array("m10", "10", "m11", "11", "m12", "12", "m13", "13", "m14", "14", "m15", "15", "m16", "16", "m17", "17", "m18", "18", "m19", "19"));
        _h.Expect("ZSCAN missing 0", "*2\r\n" + Resp.Bulk("0") + Resp.EmptyArray);
        _h.Expect("ZSCAN z x", Resp.Error("ERR invalid cursor"));
        _h.Expect("ZSCAN z 0 COUNT 0", Resp.Syntax);
    }

    [Fact]
    public void Scores_AreRepliedAsRedis70Does()
    {
        _h.Run("ZADD z 0.1 a -0 b 1e20 c 3 d");
        _h.Expect("ZSCORE z a", Resp.Bulk("0.10000000000000001"));
        _h.Expect("ZSCORE z b", Resp.Bulk("-0"));
        _h.Expect("ZSCORE z c", Resp.Bulk("1e+20"));
        _h.Expect("ZSCORE z d", Resp.Bulk("3"));
        _h.Expect("ZSCORE z x", Resp.Nil);
        _h.Expect("ZSCORE missing x", Resp.Nil);
        _h.Expect("ZMSCORE missing x y", "*2\r\n" + Resp.Nil + Resp.Nil);
    }

    [Fact]
    public void ExpiredKey_IsDeletedLazily_AndTheDeleteReplicated()
    {
        _h.Run("ZADD z 1 a");
        _h.Run("PEXPIRE z 10");
        _h.NowMs += 20;
        _h.Expect("ZCARD z", Resp.Int(0));
        Assert.Equal(["DEL z"], _h.LastEffects);
    }
    [Fact]
    public void ZMPop_PopsFromTheFirstKeyWithMembers_AsANestedReply()
    {
        _h.Expect("ZMPOP 2 a b MIN", Resp.NilArray);
        _h.Run("ZADD b 1 x 2 y 3 z");
        _h.Expect("ZMPOP 2 a b MAX COUNT 2", "*2\r\n" + Resp.Bulk("b") + "*2\r\n" + Resp.Array("z", "3") + Resp.Array("y", "2"));
        Assert.Equal(["ZREM b z y"], _h.LastEffects);
        _h.Expect("BZMPOP 0 2 a b MIN", "*2\r\n" + Resp.Bulk("b") + "*1\r\n" + Resp.Array("x", "1"));
        _h.Expect("BZMPOP 0 1 b MIN", Resp.NilArray);
        _h.Expect("ZMPOP 0 a MIN", Resp.Error("ERR numkeys should be greater than 0"));
        _h.Expect("ZMPOP 9223372036854775807 a MIN", Resp.Syntax);
        _h.Expect("ZMPOP 1 a LEFT", Resp.Syntax);
        _h.Expect("ZMPOP 1 a MIN COUNT 0", Resp.Error("ERR count should be greater than 0"));
        _h.Expect("ZMPOP 1 a MIN COUNT 1 COUNT 2", Resp.Syntax);
        _h.Expect("BZMPOP -1 1 a MIN", Resp.Error("ERR timeout is negative"));
    }
}
