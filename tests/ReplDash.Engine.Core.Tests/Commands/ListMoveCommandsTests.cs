using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class ListMoveCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void RPopLPush_And_LMove_MoveOneElement_AndDeleteAnEmptySource()
    {
        _h.Run("RPUSH src a b");
        _h.Expect("RPOPLPUSH src dst", Resp.Bulk("b"));
        Assert.Equal(["RPOPLPUSH src dst"], _h.LastEffects);
        _h.Expect("LMOVE src dst LEFT RIGHT", Resp.Bulk("a"));
        Assert.Equal(["LMOVE src dst LEFT RIGHT"], _h.LastEffects);
        _h.Expect("EXISTS src", Resp.Int(0));
        _h.Expect("LRANGE dst 0 -1", Resp.Array("b", "a"));
        _h.Expect("LMOVE src dst LEFT RIGHT", Resp.Nil);
        _h.Expect("LMOVE dst dst left left", Resp.Bulk("b"));
        _h.Expect("LRANGE dst 0 -1", Resp.Array("b", "a"));
        _h.Expect("LMOVE dst dst RIGHT LEFT", Resp.Bulk("a"));
        _h.Expect("LRANGE dst 0 -1", Resp.Array("a", "b"));
        _h.Expect("LMOVE dst x UP LEFT", Resp.Syntax);
        _h.Run("SET s x");
        _h.Expect("LMOVE dst s LEFT LEFT", Resp.WrongType);
        _h.Expect("LRANGE dst 0 -1", Resp.Array("a", "b"));
        _h.Expect("RPOPLPUSH s dst", Resp.WrongType);
    }

    [Fact]
    public void LMPop_TakesFromTheFirstNonEmptyList_ReplicatedAsPopWithCount()
    {
        _h.Run("RPUSH b 1 2 3");
        _h.Expect("LMPOP 2 a b LEFT COUNT 2", "*2\r\n" + Resp.Bulk("b") + Resp.Array("1", "2"));
        Assert.Equal(["LPOP b 2"], _h.LastEffects);
        _h.Expect("LMPOP 2 a b RIGHT COUNT 10", "*2\r\n" + Resp.Bulk("b") + Resp.Array("3"));
        Assert.Equal(["RPOP b 1"], _h.LastEffects);
        _h.Expect("LMPOP 2 a b LEFT", Resp.NilArray);
        _h.Expect("LMPOP 0 a LEFT", Resp.Error("ERR numkeys should be greater than 0"));
        _h.Expect("LMPOP x a LEFT", Resp.Error("ERR numkeys should be greater than 0"));
        _h.Expect("LMPOP 2 a LEFT", Resp.Syntax);
        _h.Expect("LMPOP 1 a MIDDLE", Resp.Syntax);
        _h.Expect("LMPOP 1 a LEFT COUNT 0", Resp.Error("ERR count should be greater than 0"));
        _h.Expect("LMPOP 1 a LEFT COUNT 1 COUNT 1", Resp.Syntax);
        _h.Run("SET s x");
        _h.Expect("LMPOP 2 a s LEFT", Resp.WrongType);
    }
}
