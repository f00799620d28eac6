using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class SetAlgebraCommandsTests
{
    private readonly CommandHarness _h = new();

    public SetAlgebraCommandsTests()
    {
        _h.Run("SADD a 1 2 3 4");
        _h.Run("SADD b 2 3 5");
        _h.Run("SADD c 3 4 5");
    }

    private static string Sorted(string reply) =>
        string.Join(',', reply.Split("\r\n").Skip(1).Where((_, i) => i % 2 == 1).Where(t => t.Length > 0).OrderBy(t => t));

    [Fact]
    public void SInter_SUnion_SDiff()
    {
        Assert.Equal("2,3", Sorted(_h.Run("SINTER a b")));
        Assert.Equal("3", Sorted(_h.Run("SINTER a b c")));
        _h.Expect("SINTER a missing", Resp.EmptyArray);
        Assert.Equal("1,2,3,4,5", Sorted(_h.Run("SUNION a b missing c")));
        Assert.Equal("1,4", Sorted(_h.Run("SDIFF a b")));
        Assert.Equal("1", Sorted(_h.Run("SDIFF a b c")));
        _h.Expect("SDIFF missing a", Resp.EmptyArray);
        _h.Run("SET str x");
        // Every key is type-checked, even after a missing one.
        _h.Expect("SINTER missing str", Resp.WrongType);
        _h.Expect("SUNION a str", Resp.WrongType);
        _h.Expect("SDIFF a str", Resp.WrongType);
    }

    [Fact]
    public void SInterCard_WithLimit_AndRedisErrors()
    {
        _h.Expect("SINTERCARD 2 a b", Resp.Int(2));
        _h.Expect("SINTERCARD 2 a b LIMIT 1", Resp.Int(1));
        _h.Expect("SINTERCARD 2 a b LIMIT 0", Resp.Int(2));
        _h.Expect("SINTERCARD 1 missing", Resp.Int(0));
        _h.Expect("SINTERCARD 0 a", Resp.Error("ERR numkeys should be greater than 0"));
        _h.Expect("SINTERCARD 3 a b", Resp.Error("ERR Number of keys can't be greater than number of args"));
        _h.Expect("SINTERCARD 2 a b LIMIT -1", Resp.Error("ERR LIMIT can't be negative"));
        _h.Expect("SINTERCARD 1 a b", Resp.Syntax);
    }

    [Fact]
    public void StoreForms_ReplaceTheDestination_AndDeleteItWhenEmpty()
    {
        _h.Run("SET dst x");
        _h.Run("EXPIRE dst 100");
        _h.Expect("SINTERSTORE dst a b", Resp.Int(2));
        Assert.Equal(["SINTERSTORE dst a b"], _h.LastEffects);
        _h.Expect("TYPE dst", "+set\r\n");
        _h.Expect("TTL dst", Resp.Int(-1));
        _h.Expect("SUNIONSTORE dst dst c", Resp.Int(4));
        Assert.Equal("2,3,4,5", Sorted(_h.Run("SMEMBERS dst")));
        _h.Expect("SDIFFSTORE dst a a", Resp.Int(0));
        _h.Expect("EXISTS dst", Resp.Int(0));
        _h.Run("SET str x");
        _h.Expect("SUNIONSTORE dst a str", Resp.WrongType);
    }
}
