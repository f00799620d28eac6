using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class ListCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void Push_BothEnds_KeepsRedisOrder()
    {
        _h.Expect("LPUSH l a b", Resp.Int(2));
        Assert.Equal(["LPUSH l a b"], _h.LastEffects);
        _h.Expect("RPUSH l c d", Resp.Int(4));
        Assert.Equal(["RPUSH l c d"], _h.LastEffects);
        _h.Expect("LRANGE l 0 -1", Resp.Array("b", "a", "c", "d"));
        _h.Expect("LLEN l", Resp.Int(4));
    }

    [Theory]
    [InlineData("LRANGE l 0 -1", new[] { "a", "b", "c", "d", "e" })]
    [InlineData("LRANGE l 1 2", new[] { "b", "c" })]
    [InlineData("LRANGE l -2 -1", new[] { "d", "e" })]
    [InlineData("LRANGE l -100 1", new[] { "a", "b" })]
    [InlineData("LRANGE l 3 100", new[] { "d", "e" })]
    [InlineData("LRANGE l 4 2", new string[0])]
    [InlineData("LRANGE l 5 10", new string[0])]
    [InlineData("LRANGE missing 0 -1", new string[0])]
    public void LRange_NormalizesIndexesAsRedis(string command, string[] expected)
    {
        _h.Run("RPUSH l a b c d e");
        _h.Expect(command, Resp.Array(expected));
    }

    [Fact]
    public void LRange_NonIntegerIndex_IsAnError()
    {
        _h.Run("RPUSH l a");
        _h.Expect("LRANGE l a 1", Resp.NotInteger);
    }

    [Fact]
    public void Pop_WithoutCount_ReturnsOneElement_DeletesEmptyList()
    {
        _h.Run("RPUSH l a b");
        _h.Expect("LPOP l", Resp.Bulk("a"));
        Assert.Equal(["LPOP l"], _h.LastEffects);
        _h.Expect("RPOP l", Resp.Bulk("b"));
        _h.Expect("EXISTS l", Resp.Int(0));
        _h.Expect("LPOP l", Resp.Nil);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void Pop_WithCount_ReturnsArray()
    {
        _h.Run("RPUSH l a b c");
        _h.Expect("RPOP l 2", Resp.Array("c", "b"));
        Assert.Equal(["RPOP l 2"], _h.LastEffects);
        _h.Expect("LPOP l 0", Resp.EmptyArray);
        Assert.Empty(_h.LastEffects);
        _h.Expect("LPOP l 10", Resp.Array("a"));
        _h.Expect("LPOP l 10", Resp.NilArray);
        Assert.Empty(_h.LastEffects);
    }

    [Theory]
    [InlineData("LPOP l -1", "ERR value is out of range, must be positive")]
    [InlineData("LPOP l x", "ERR value is not an integer or out of range")]
    [InlineData("RPOP l 1 2", "ERR wrong number of arguments for 'rpop' command")]
    public void Pop_BadCount_ReplyRedisErrors(string command, string error)
    {
        _h.Run("RPUSH l a");
        _h.Expect(command, Resp.Error(error));
        Assert.Empty(_h.LastEffects);
        _h.Expect("LLEN l", Resp.Int(1));
    }

    [Theory]
    [InlineData("LPUSH s a")]
    [InlineData("RPUSH s a")]
    [InlineData("LPOP s")]
    [InlineData("RPOP s 2")]
    [InlineData("LRANGE s 0 1")]
    [InlineData("LLEN s")]
    public void ListCommands_OnAString_ReplyWrongType(string command)
    {
        _h.Run("SET s v");
        _h.Expect(command, Resp.WrongType);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void ManyPushesAndPops_BehaveLikeAQueue()
    {
        var model = new LinkedList<string>();
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            int op = random.Next(4);
            string v = i.ToString();
            switch (op)
            {
                case 0: _h.Run($"LPUSH q {v}"); model.AddFirst(v); break;
                case 1: _h.Run($"RPUSH q {v}"); model.AddLast(v); break;
                case 2:
                    _h.Expect("LPOP q", model.Count == 0 ? Resp.Nil : Resp.Bulk(model.First!.Value));
                    if (model.Count > 0) model.RemoveFirst();
                    break;
                default:
                    _h.Expect("RPOP q", model.Count == 0 ? Resp.Nil : Resp.Bulk(model.Last!.Value));
                    if (model.Count > 0) model.RemoveLast();
                    break;
            }
        }
        _h.Expect("LRANGE q 0 -1", Resp.Array(model.ToArray()));
    }
}
