using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class HashFieldCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void HMSet_SetsSeveralFields_RepliesOk_OddArgumentsAreAnArityError()
    {
        _h.Expect("HMSET h a 1 b 2", Resp.Ok);
        Assert.Equal(["HMSET h a 1 b 2"], _h.LastEffects);
        _h.Expect("HMGET h a b c", "*3\r\n" + Resp.Bulk("1") + Resp.Bulk("2") + Resp.Nil);
        _h.Expect("HMSET h a 1 b", Resp.Error("ERR wrong number of arguments for 'hmset' command"));
        _h.Expect("HMGET missing a", "*1\r\n" + Resp.Nil);
        _h.Run("SET s x");
        _h.Expect("HMGET s a", Resp.WrongType);
        _h.Expect("HMSET s a 1", Resp.WrongType);
    }

    [Fact]
    public void HIncrBy_CreatesAndAdds_WithRedisErrors()
    {
        _h.Expect("HINCRBY h n 5", Resp.Int(5));
        Assert.Equal(["HINCRBY h n 5"], _h.LastEffects);
        _h.Expect("HINCRBY h n -7", Resp.Int(-2));
        _h.Expect("HINCRBY h n x", Resp.NotInteger);
        _h.Run("HSET h s abc");
        _h.Expect("HINCRBY h s 1", Resp.Error("ERR hash value is not an integer"));
        _h.Run("HSET h big 9223372036854775807");
        _h.Expect("HINCRBY h big 1", Resp.Error("ERR increment or decrement would overflow"));
        Assert.Empty(_h.LastEffects);
        _h.Run("SET s x");
        _h.Expect("HINCRBY s f 1", Resp.WrongType);
    }

    [Fact]
    public void HIncrByFloat_IsReplicatedAsHSetOfTheResult()
    {
        _h.Expect("HINCRBYFLOAT h f 1.23", Resp.Bulk("1.23"));
        Assert.Equal(["HSET h f 1.23"], _h.LastEffects);
        _h.Expect("HINCRBYFLOAT h f 0.77", Resp.Bulk("2"));
        _h.Expect("HINCRBYFLOAT h f -0.1", Resp.Bulk("1.9"));
        _h.Expect("HINCRBYFLOAT h f 1e-7", Resp.Bulk("1.9000001"));
        _h.Expect("HINCRBYFLOAT h g 17179869184", Resp.Bulk("17179869184"));
        _h.Expect("HINCRBYFLOAT h f +inf", Resp.Error("ERR value is NaN or Infinity"));
        _h.Expect("HINCRBYFLOAT h f abc", Resp.Error("ERR value is not a valid float"));
        _h.Run("HSET h s abc");
        _h.Expect("HINCRBYFLOAT h s 1", Resp.Error("ERR hash value is not a float"));
        _h.Run(["HSET"u8.ToArray(), "h"u8.ToArray(), "spaced"u8.ToArray(), " 1"u8.ToArray()]);
        Assert.Equal(Resp.Error("ERR hash value is not a float"),
            _h.Run(["HINCRBYFLOAT"u8.ToArray(), "h"u8.ToArray(), "spaced"u8.ToArray(), "1"u8.ToArray()]));
        _h.Run("HSET h max 1.7e308");
        _h.Expect("HINCRBYFLOAT h max 1.7e308", Resp.Error("ERR increment would produce NaN or Infinity"));
    }

    [Fact]
    public void HExists_HKeys_HVals_HStrLen()
    {
        _h.Run("HSET h a 1 b 22");
        _h.Expect("HEXISTS h a", Resp.Int(1));
        _h.Expect("HEXISTS h z", Resp.Int(0));
        _h.Expect("HEXISTS missing a", Resp.Int(0));
        _h.Expect("HKEYS h", Resp.Array("a", "b"));
        _h.Expect("HVALS h", Resp.Array("1", "22"));
        _h.Expect("HKEYS missing", Resp.EmptyArray);
        _h.Expect("HSTRLEN h b", Resp.Int(2));
        _h.Expect("HSTRLEN h z", Resp.Int(0));
        _h.Run("SET s x");
        _h.Expect("HKEYS s", Resp.WrongType);
        _h.Expect("HSTRLEN s a", Resp.WrongType);
    }

    [Fact]
    public void HSetNx_SetsOnlyANewField()
    {
        _h.Expect("HSETNX h a 1", Resp.Int(1));
        Assert.Equal(["HSETNX h a 1"], _h.LastEffects);
        _h.Expect("HSETNX h a 2", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("HGET h a", Resp.Bulk("1"));
    }

    [Fact]
    public void HRandField_CountsAndWithValues_AsRedis()
    {
        _h.Run("HSET h a 1 b 2 c 3");
        Assert.Contains(_h.Run("HRANDFIELD h"), new[] { Resp.Bulk("a"), Resp.Bulk("b"), Resp.Bulk("c") });
        _h.Expect("HRANDFIELD missing", Resp.Nil);
        _h.Expect("HRANDFIELD missing 3", Resp.EmptyArray);
        _h.Expect("HRANDFIELD h 0", Resp.EmptyArray);
        Assert.StartsWith("*3\r\n", _h.Run("HRANDFIELD h 10"));
        Assert.StartsWith("*2\r\n", _h.Run("HRANDFIELD h 2"));
        Assert.StartsWith("*10\r\n", _h.Run("HRANDFIELD h -5 WITHVALUES"));
        Assert.StartsWith("*6\r\n", _h.Run("HRANDFIELD h 3 withvalues"));
        _h.Expect("HRANDFIELD h 1 WITHSCORES", Resp.Syntax);
        _h.Expect("HRANDFIELD h x", Resp.NotInteger);
        _h.Expect("HRANDFIELD h -9223372036854775808",
            Resp.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
        _h.Expect("HRANDFIELD h -9223372036854775807 WITHVALUES", Resp.Error("ERR value is out of range"));
        Assert.Empty(_h.LastEffects);
        // Distinct fields when the count is positive.
        var reply = _h.Run("HRANDFIELD h 2");
        var fields = reply.Split("\r\n").Where((_, i) => i > 0 && i % 2 == 0).Where(s => s.Length > 0).ToList();
        Assert.Equal(fields.Count, fields.Distinct().Count());
    }

    [Fact]
    public void HScan_ReturnsEveryFieldOnce_EvenWhileTheHashChanges()
    {
        for (int i = 0; i < 1000; i++)
            _h.Run($"HSET h f{i} v{i}");
        var seen = new HashSet<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            var reply = _h.Run($"HSCAN h {cursor} COUNT 20");
            var lines = reply.Split("\r\n");
            cursor = lines[2];
            // Elements come as field, value pairs: "$n", text lines after the inner array header.
            var texts = lines.Skip(4).Where((_, i) => i % 2 == 1).ToList();
            for (int i = 0; i + 1 < texts.Count; i += 2)
                Assert.True(seen.Add(texts[i]) || texts[i].StartsWith("new"), $"{texts[i]} came twice");
            // Changes during the walk: fields present all along must still come exactly once.
            _h.Run($"HSET h new{calls} x");
            calls++;
        }
        while (cursor != "0");
        for (int i = 0; i < 1000; i++)
            Assert.Contains($"f{i}", seen);
        Assert.InRange(calls, 2, 60);
        _h.Expect("HSCAN missing 0", "*2\r\n" + Resp.Bulk("0") + Resp.EmptyArray);
        _h.Expect("HSCAN h x", Resp.Error("ERR invalid cursor"));
        _h.Expect("HSCAN h 0 COUNT 0", Resp.Syntax);
        _h.Expect("HSCAN h 0 BOGUS 1", Resp.Syntax);
        _h.Run("HSET small a 1 bb 2");
        _h.Expect("HSCAN small 0 MATCH b*", "*2\r\n" + Resp.Bulk("0") + Resp.Array("bb", "2"));
    }
}
