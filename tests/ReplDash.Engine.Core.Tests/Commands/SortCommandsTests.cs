using System.Text;
using ReplDash.Engine.Core.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>SORT and SORT_RO: Redis 7.0's orderings, options, replies and errors, and the effect SORT ... STORE replicates.</summary>
public class SortCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void Numbers_SortAscendingOrDescending_TiesByTheElementsBytes()
    {
        _h.Run("RPUSH l 10 2 -1.5 3e1 2.0 inf");
        _h.Expect("SORT l", Resp.Array("-1.5", "2", "2.0", "10", "3e1", "inf"));
        _h.Expect("SORT l DESC", Resp.Array("inf", "3e1", "10", "2.0", "2", "-1.5"));
        _h.Expect("SORT_RO l desc LIMIT 1 2", Resp.Array("3e1", "10"));
        _h.Run("SADD s 3 1 2");
        _h.Expect("SORT s", Resp.Array("1", "2", "3"));
        _h.Run("ZADD z 1 30 2 10 3 20");
        _h.Expect("SORT z", Resp.Array("10", "20", "30"));
        _h.Expect("SORT missing", Resp.EmptyArray);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void Alpha_ComparesBytes_AndNonNumbersWithoutAlphaAreRefused()
    {
        _h.Run("RPUSH l b a C 10 9");
        _h.Expect("SORT l ALPHA", Resp.Array("10", "9", "C", "a", "b"));
        _h.Expect("SORT l ALPHA DESC LIMIT 0 2", Resp.Array("b", "a"));
        _h.Expect("SORT l", Resp.Error("ERR One or more scores can't be converted into double"));
        _h.Run("RPUSH n 1 nan");
        _h.Expect("SORT n", Resp.Error("ERR One or more scores can't be converted into double"));
        _h.Run("RPUSH w 2 \t1");
        _h.Expect("SORT w", Resp.Array("\t1", "2")); // strtod skips leading white space
    }

    [Fact]
    public void Limit_FollowsRedisArithmetic()
    {
        _h.Run("RPUSH l 5 4 3 2 1");
        _h.Expect("SORT l LIMIT 0 0", Resp.EmptyArray);
        _h.Expect("SORT l LIMIT -5 2", Resp.Array("1", "2"));
        _h.Expect("SORT l LIMIT 3 -1", Resp.Array("4", "5"));
        _h.Expect("SORT l LIMIT 4 100", Resp.Array("5"));
        _h.Expect("SORT l LIMIT 5 1", Resp.EmptyArray);
        _h.Expect("SORT l LIMIT x 1", Resp.NotInteger);
    }

    [Fact]
    public void By_WeighsByStringsOrHashFields_MissingWeightsCountAsZero()
    {
        _h.Run("RPUSH l a b c d");
        _h.Run("MSET w_a 3 w_b 1 w_c 2");
        _h.Expect("SORT l BY w_*", Resp.Array("d", "b", "c", "a")); // d has no weight: 0
        _h.Run("HSET h_a f 30");
        _h.Run("HSET h_b f 10");
        _h.Run("HSET h_c g 99");
        _h.Expect("SORT l BY h_*->f DESC", Resp.Array("a", "b", "d", "c")); // c and d weigh 0; ties by their bytes, reversed too
        _h.Run("MSET aw_a x aw_b y");
        _h.Expect("SORT l BY aw_* ALPHA", Resp.Array("c", "d", "a", "b")); // missing values first, in their first order
        _h.Run("SET w_d notanumber");
        _h.Expect("SORT l BY w_*", Resp.Error("ERR One or more scores can't be converted into double"));
    }

    [Fact]
    public void ByWithoutAStar_DoesNotSort()
    {
        _h.Run("RPUSH l 3 1 2");
        _h.Expect("SORT l BY nosort", Resp.Array("3", "1", "2"));
        _h.Expect("SORT l BY nosort DESC LIMIT 0 2", Resp.Array("2", "1"));
        _h.Run("ZADD z 3 c 1 a 2 b");
        _h.Expect("SORT z BY nosort", Resp.Array("a", "b", "c"));
        _h.Expect("SORT z BY nosort DESC LIMIT 1 5", Resp.Array("b", "a"));
        _h.Expect("SORT z BY # DESC", Resp.Array("c", "b", "a")); // "#" has no star either
    }

    [Fact]
    public void Get_ReturnsWhatEachPatternNames_NullWhereItNamesNothing()
    {
        _h.Run("RPUSH l 2 1");
        _h.Run("SET o_1 one");
        _h.Run("HSET h_2 name two");
        _h.Run("RPUSH o_2 notastring");
        _h.Expect("SORT l GET # GET o_* GET h_*->name",
            "*6\r\n" + Resp.Bulk("1") + Resp.Bulk("one") + Resp.Nil + Resp.Bulk("2") + Resp.Nil + Resp.Bulk("two"));
        _h.Expect("SORT l GET fixed", "*2\r\n" + Resp.Nil + Resp.Nil);
        _h.Expect("SORT l LIMIT 0 1 GET o_*->", "*1\r\n" + Resp.Nil);
        _h.Run("SET o_1-> arrow");
        _h.Expect("SORT l LIMIT 0 1 GET o_*->", Resp.Array("arrow")); // "->" with no field after it is part of the key name
    }

    [Fact]
    public void Store_ReplacesTheDestinationWithAList_AndReplicatesDelThenRPush()
    {
        _h.Run("SADD s c a b");
        _h.Run("SET dst old");
        _h.Run("EXPIRE dst 100");
        _h.Expect("SORT s ALPHA STORE dst", Resp.Int(3));
        Assert.Equal(["DEL dst", "RPUSH dst a b c"], _h.LastEffects);
        _h.Expect("TYPE dst", "+list\r\n");
        _h.Expect("TTL dst", Resp.Int(-1));
        _h.Expect("LRANGE dst 0 -1", Resp.Array("a", "b", "c"));

        _h.Run("SET o_a A");
        _h.Expect("SORT s ALPHA GET o_* GET # STORE dst2", Resp.Int(6));
        Assert.Equal(["RPUSH dst2 A a  b  c"], _h.LastEffects); // missing GET values are stored as empty strings

        _h.Expect("SORT empty STORE dst", Resp.Int(0));
        Assert.Equal(["DEL dst"], _h.LastEffects);
        _h.Expect("EXISTS dst", Resp.Int(0));
        _h.Expect("SORT empty STORE dst", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void StoringASet_UnderAConstantBy_SortsItAlphabetically()
    {
        _h.Run("SADD s 10 9 b a");
        _h.Expect("SORT s BY nosort STORE dst", Resp.Int(4));
        _h.Expect("LRANGE dst 0 -1", Resp.Array("10", "9", "a", "b"));
    }

    [Fact]
    public void Errors_AreRedisTexts()
    {
        _h.Run("SET str v");
        _h.Expect("SORT str", Resp.WrongType);
        _h.Expect("SORT l FOO", Resp.Syntax);
        _h.Expect("SORT l LIMIT 1", Resp.Syntax);
        _h.Expect("SORT l BY", Resp.Syntax);
        _h.Expect("SORT_RO l STORE dst", Resp.Syntax);
        _h.Expect("SORT_RO", "-ERR wrong number of arguments for 'sort_ro' command\r\n");
    }

    [Fact]
    public void KeyIndexes_AreTheSortedKeyAndStoresDestination()
    {
        byte[][] Args(string line) => line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        var sort = CommandTable.Find("sort")!;
        Assert.Equal([1, 5], sort.KeyIndexes(Args("SORT a BY w_* STORE d")));
        Assert.Equal([1], sort.KeyIndexes(Args("SORT a GET store LIMIT 0 1")));
        Assert.Equal([1], CommandTable.Find("sort_ro")!.KeyIndexes(Args("SORT_RO a STORE d")));
        Assert.True(sort.Flags.HasFlag(CommandFlags.Write) && sort.Flags.HasFlag(CommandFlags.AllKeys));
        Assert.True(CommandTable.Find("sort_ro")!.Flags.HasFlag(CommandFlags.ReadOnly));
        Assert.Equal((-2, 1, 1, 1), (sort.Arity, sort.FirstKey, sort.LastKey, sort.KeyStep));
    }

    [Fact]
    public void StoreEffects_ReplayedOnAReplica_GiveTheSameDigest()
    {
        var replica = new CommandHarness(nowMs: null);
        var random = new Random(7);
        for (int i = 0; i < 400; i++)
        {
            string k = "l" + random.Next(3);
            string line = random.Next(6) switch
            {
                0 => $"RPUSH {k} {random.Next(100)} {random.Next(100)}",
                1 => $"SET w_{random.Next(100)} {random.Next(1000)}",
                2 => $"SORT {k} BY w_* STORE d{random.Next(2)}",
                3 => $"SORT {k} DESC LIMIT 0 3 GET # GET w_* STORE d{random.Next(2)}",
                4 => $"SADD s{random.Next(2)} {random.Next(100)}",
                _ => $"SORT s{random.Next(2)} BY nosort STORE {k}",
            };
            _h.Run(line);
        }
        foreach (var effect in _h.AllEffects)
            Assert.False(replica.Run(effect).StartsWith('-'));
        Assert.Equal(_h.Store.DigestHex(), replica.Store.DigestHex());
        Assert.DoesNotContain(_h.AllEffects, e => Encoding.UTF8.GetString(e[0]).StartsWith("SORT"));
    }
}
