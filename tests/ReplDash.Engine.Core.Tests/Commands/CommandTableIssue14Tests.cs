using System.Text;
using ReplDash.Engine.Core.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class CommandTableIssue14Tests
{
    [Theory]
    [InlineData("hmset", -4, 1, 1, 1)]
    [InlineData("rpoplpush", 3, 1, 2, 1)]
    [InlineData("lmove", 5, 1, 2, 1)]
    [InlineData("blpop", -3, 1, -2, 1)]
    [InlineData("blmove", 6, 1, 2, 1)]
    [InlineData("lmpop", -4, 0, 0, 0)]
    [InlineData("blmpop", -5, 0, 0, 0)]
    [InlineData("sintercard", -3, 0, 0, 0)]
    [InlineData("sinterstore", -3, 1, -1, 1)]
    [InlineData("smove", 4, 1, 2, 1)]
    public void Specs_MatchRedisCommandOutput(string name, int arity, int first, int last, int step)
    {
        var spec = CommandTable.Find(name)!;
        Assert.Equal((arity, first, last, step), (spec.Arity, spec.FirstKey, spec.LastKey, spec.KeyStep));
    }

    [Fact]
    public void MovableKeys_AreFoundAfterNumKeys_ForDependencies()
    {
        byte[][] Args(string line) => line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        Assert.Equal([2, 3], CommandTable.Find("lmpop")!.KeyIndexes(Args("LMPOP 2 a b LEFT")));
        Assert.Equal([3], CommandTable.Find("blmpop")!.KeyIndexes(Args("BLMPOP 0 1 a LEFT COUNT 2")));
        Assert.Equal([3, 4], CommandTable.Find("bzmpop")!.KeyIndexes(Args("BZMPOP 0 2 a b MIN COUNT 2")));
        Assert.Equal([2, 3], CommandTable.Find("sintercard")!.KeyIndexes(Args("SINTERCARD 2 a b LIMIT 1")));
        Assert.Empty(CommandTable.Find("sintercard")!.KeyIndexes(Args("SINTERCARD x a")));
        Assert.Equal([1, 2], CommandTable.Find("blpop")!.KeyIndexes(Args("BLPOP a b 0")));
    }

    [Fact]
    public void OnlyThePopsThatWait_AreBlocking()
    {
        var blocking = CommandTable.All.Where(s => s.Flags.HasFlag(CommandFlags.Blocking)).Select(s => s.Name).Order();
        Assert.Equal(["blmove", "blmpop", "blpop", "brpop", "brpoplpush", "bzmpop", "bzpopmax", "bzpopmin"], blocking);
        Assert.All(CommandTable.All.Where(s => s.Flags.HasFlag(CommandFlags.Blocking)), s => Assert.True(s.Flags.HasFlag(CommandFlags.Write)));
    }
}
