using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class SetCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void SAdd_CountsNewMembers_RecordsOnlyWhenAdded()
    {
        _h.Expect("SADD s a b a", Resp.Int(2));
        Assert.Equal(["SADD s a b a"], _h.LastEffects);
        _h.Expect("SADD s a", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("SCARD s", Resp.Int(2));
        _h.Expect("SCARD missing", Resp.Int(0));
    }

    [Fact]
    public void SRem_RecordsOnlyWhenRemoved_DeletesEmptySet()
    {
        _h.Run("SADD s a b");
        _h.Expect("SREM s zz", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("SREM s a zz", Resp.Int(1));
        Assert.Equal(["SREM s a zz"], _h.LastEffects);
        _h.Expect("SMEMBERS s", Resp.Array("b"));
        _h.Expect("SREM s b", Resp.Int(1));
        _h.Expect("TYPE s", "+none\r\n");
        _h.Expect("SMEMBERS s", Resp.EmptyArray);
    }

    [Fact]
    public void SPop_RecordsSremOfTheChosenMembers()
    {
        _h.Run("SADD s a b c d");
        string reply = _h.Run("SPOP s");
        string chosen = reply.Split("\r\n")[1];
        Assert.Equal([$"SREM s {chosen}"], _h.LastEffects);
        _h.Expect("SCARD s", Resp.Int(3));

        string many = _h.Run("SPOP s 2");
        var members = many.Split("\r\n").Where((_, i) => i >= 2 && i % 2 == 0).Take(2).ToArray();
        Assert.Equal([$"SREM s {members[0]} {members[1]}"], _h.LastEffects);
        Assert.NotEqual(members[0], members[1]);

        _h.Expect("SPOP s 10", Resp.Array(_h.Run("SMEMBERS s").Split("\r\n")[2]));
        _h.Expect("EXISTS s", Resp.Int(0));
    }

    [Fact]
    public void SPop_OnMissingKeyOrZeroCount_ChangesNothing()
    {
        _h.Expect("SPOP s", Resp.Nil);
        _h.Expect("SPOP s 3", Resp.EmptyArray);
        _h.Run("SADD s a");
        _h.Expect("SPOP s 0", Resp.EmptyArray);
        Assert.Empty(_h.LastEffects);
        _h.Expect("SPOP s -1", Resp.Error("ERR value is out of range, must be positive"));
        _h.Expect("SPOP s 1 2", Resp.Syntax);
        _h.Expect("SCARD s", Resp.Int(1));
    }

    [Theory]
    [InlineData("SADD h a")]
    [InlineData("SREM h a")]
    [InlineData("SMEMBERS h")]
    [InlineData("SCARD h")]
    [InlineData("SPOP h")]
    public void SetCommands_OnAHash_ReplyWrongType(string command)
    {
        _h.Run("HSET h f v");
        _h.Expect(command, Resp.WrongType);
        Assert.Empty(_h.LastEffects);
    }
}
