using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class ListEditCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void LIndex_CountsFromBothEnds()
    {
        _h.Run("RPUSH l a b c");
        _h.Expect("LINDEX l 0", Resp.Bulk("a"));
        _h.Expect("LINDEX l -1", Resp.Bulk("c"));
        _h.Expect("LINDEX l 3", Resp.Nil);
        _h.Expect("LINDEX l -4", Resp.Nil);
        _h.Expect("LINDEX missing x", Resp.Nil); // Redis looks the key up before parsing the index
        _h.Expect("LINDEX l x", Resp.NotInteger);
    }

    [Fact]
    public void LSet_ReplacesByIndex_WithRedisErrors()
    {
        _h.Run("RPUSH l a b c");
        _h.Expect("LSET l -1 z", Resp.Ok);
        Assert.Equal(["LSET l -1 z"], _h.LastEffects);
        _h.Expect("LRANGE l 0 -1", Resp.Array("a", "b", "z"));
        _h.Expect("LSET l 3 q", Resp.Error("ERR index out of range"));
        _h.Expect("LSET missing 0 q", Resp.Error("ERR no such key"));
        _h.Run("SET s x");
        _h.Expect("LSET s 0 q", Resp.WrongType);
    }

    [Fact]
    public void LInsert_BeforeAndAfterThePivot()
    {
        _h.Run("RPUSH l a c");
        _h.Expect("LINSERT l BEFORE c b", Resp.Int(3));
        Assert.Equal(["LINSERT l BEFORE c b"], _h.LastEffects);
        _h.Expect("LINSERT l after c d", Resp.Int(4));
        _h.Expect("LRANGE l 0 -1", Resp.Array("a", "b", "c", "d"));
        _h.Expect("LINSERT l BEFORE zz x", Resp.Int(-1));
        _h.Expect("LINSERT missing BEFORE a x", Resp.Int(0));
        _h.Expect("LINSERT l MIDDLE a x", Resp.Syntax);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void LRem_FromHeadFromTailOrAll_DeletesAnEmptyList()
    {
        _h.Run("RPUSH l a x b x c x");
        _h.Expect("LREM l 1 x", Resp.Int(1));
        _h.Expect("LRANGE l 0 -1", Resp.Array("a", "b", "x", "c", "x"));
        _h.Expect("LREM l -1 x", Resp.Int(1));
        _h.Expect("LRANGE l 0 -1", Resp.Array("a", "b", "x", "c"));
        _h.Expect("LREM l 0 x", Resp.Int(1));
        _h.Expect("LREM l 0 nothing", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Run("RPUSH only y y");
        _h.Expect("LREM only 0 y", Resp.Int(2));
        _h.Expect("EXISTS only", Resp.Int(0));
        _h.Expect("LREM l x a", Resp.NotInteger);
    }

    [Fact]
    public void LTrim_KeepsTheRange_EmptyRangeDeletesTheKey()
    {
        _h.Run("RPUSH l a b c d e");
        _h.Expect("LTRIM l 1 -2", Resp.Ok);
        Assert.Equal(["LTRIM l 1 -2"], _h.LastEffects);
        _h.Expect("LRANGE l 0 -1", Resp.Array("b", "c", "d"));
        _h.Expect("LTRIM l 0 100", Resp.Ok);
        Assert.Empty(_h.LastEffects);
        _h.Expect("LTRIM l 5 10", Resp.Ok);
        _h.Expect("EXISTS l", Resp.Int(0));
        _h.Expect("LTRIM missing 0 1", Resp.Ok);
        _h.Expect("LTRIM l a 1", Resp.NotInteger);
    }

    [Fact]
    public void LPos_RankCountMaxLen_AsRedis()
    {
        _h.Run("RPUSH l a b c 1 2 3 c c");
        _h.Expect("LPOS l c", Resp.Int(2));
        _h.Expect("LPOS l c RANK 2", Resp.Int(6));
        _h.Expect("LPOS l c RANK -1", Resp.Int(7));
        _h.Expect("LPOS l c COUNT 0", "*3\r\n:2\r\n:6\r\n:7\r\n");
        _h.Expect("LPOS l c COUNT 2 RANK -1", "*2\r\n:7\r\n:6\r\n");
        _h.Expect("LPOS l c COUNT 0 MAXLEN 3", "*1\r\n:2\r\n");
        _h.Expect("LPOS l zz", Resp.Nil);
        _h.Expect("LPOS l zz COUNT 1", Resp.EmptyArray);
        _h.Expect("LPOS missing a", Resp.Nil);
        _h.Expect("LPOS missing a COUNT 1", Resp.EmptyArray);
        _h.Expect("LPOS l c RANK 0", Resp.Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
        _h.Expect("LPOS l c COUNT -1", Resp.Error("ERR COUNT can't be negative"));
        _h.Expect("LPOS l c MAXLEN -1", Resp.Error("ERR MAXLEN can't be negative"));
        _h.Expect("LPOS l c RANK", Resp.Syntax);
        _h.Expect("LPOS l c RANK -9223372036854775808", Resp.Nil);
    }

    [Fact]
    public void PushX_OnlyPushesOntoAnExistingList()
    {
        _h.Expect("LPUSHX l a", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("EXISTS l", Resp.Int(0));
        _h.Run("RPUSH l b");
        _h.Expect("LPUSHX l a", Resp.Int(2));
        _h.Expect("RPUSHX l c d", Resp.Int(4));
        Assert.Equal(["RPUSHX l c d"], _h.LastEffects);
        _h.Expect("LRANGE l 0 -1", Resp.Array("a", "b", "c", "d"));
        _h.Run("SET s x");
        _h.Expect("RPUSHX s a", Resp.WrongType);
    }
}
