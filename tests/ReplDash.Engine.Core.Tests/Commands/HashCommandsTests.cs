using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class HashCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void HSet_CountsNewFieldsOnly_AndRecordsVerbatim()
    {
        _h.Expect("HSET h a 1 b 2", Resp.Int(2));
        Assert.Equal(["HSET h a 1 b 2"], _h.LastEffects);
        _h.Expect("HSET h a 9 c 3", Resp.Int(1));
        _h.Expect("HGET h a", Resp.Bulk("9"));
        _h.Expect("HGET h zz", Resp.Nil);
        _h.Expect("HGET missing a", Resp.Nil);
        _h.Expect("HLEN h", Resp.Int(3));
        _h.Expect("HLEN missing", Resp.Int(0));
    }

    [Fact]
    public void HSet_WithDanglingField_IsAnArityError()
    {
        _h.Expect("HSET h a 1 b", Resp.Error("ERR wrong number of arguments for 'hset' command"));
        _h.Expect("HSET h a", Resp.Error("ERR wrong number of arguments for 'hset' command"));
        Assert.Equal(0, _h.Store.Count);
    }

    [Fact]
    public void HDel_RecordsOnlyWhenSomethingWasRemoved_AndDeletesEmptyHash()
    {
        _h.Run("HSET h a 1 b 2");
        _h.Expect("HDEL h zz", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("HDEL missing a", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("HDEL h a zz", Resp.Int(1));
        Assert.Equal(["HDEL h a zz"], _h.LastEffects);
        _h.Expect("HDEL h b", Resp.Int(1));
        _h.Expect("EXISTS h", Resp.Int(0));
    }

    [Fact]
    public void HGetAll_ReturnsFlatPairs()
    {
        _h.Expect("HGETALL h", Resp.EmptyArray);
        _h.Run("HSET h a 1");
        _h.Expect("HGETALL h", Resp.Array("a", "1"));
    }

    [Theory]
    [InlineData("HSET s a 1")]
    [InlineData("HGET s a")]
    [InlineData("HDEL s a")]
    [InlineData("HGETALL s")]
    [InlineData("HLEN s")]
    public void HashCommands_OnAString_ReplyWrongType(string command)
    {
        _h.Run("SET s v");
        _h.Expect(command, Resp.WrongType);
        Assert.Empty(_h.LastEffects);
    }
}
