using System.Text;
using ReplDash.Engine.Core.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class CommandTableTests
{
    [Theory]
    [InlineData("get")]
    [InlineData("GET")]
    [InlineData("gEt")]
    public void Find_IsAsciiCaseInsensitive(string name)
    {
        var spec = CommandTable.Find(Encoding.ASCII.GetBytes(name));
        Assert.NotNull(spec);
        Assert.Equal("get", spec.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nosuch")]
    [InlineData("gét")]
    [InlineData("averyveryveryveryverylongcommandname")]
    public void Find_UnknownNames_ReturnNull(string name) => Assert.Null(CommandTable.Find(Encoding.UTF8.GetBytes(name)));

    [Theory]
    [InlineData("get", 2, 1, 1, 1)]
    [InlineData("set", -3, 1, 1, 1)]
    [InlineData("mset", -3, 1, -1, 2)]
    [InlineData("mget", -2, 1, -1, 1)]
    [InlineData("del", -2, 1, -1, 1)]
    [InlineData("hset", -4, 1, 1, 1)]
    [InlineData("lpop", -2, 1, 1, 1)]
    [InlineData("keys", 2, 0, 0, 0)]
    [InlineData("scan", -2, 0, 0, 0)]
    [InlineData("dbsize", 1, 0, 0, 0)]
    [InlineData("flushall", -1, 0, 0, 0)]
    [InlineData("setex", 4, 1, 1, 1)]
    [InlineData("getex", -2, 1, 1, 1)]
    [InlineData("msetnx", -3, 1, -1, 2)]
    [InlineData("lcs", -3, 1, 2, 1)]
    [InlineData("bitop", -4, 2, -1, 1)]
    [InlineData("bitcount", -2, 1, 1, 1)]
    [InlineData("rename", 3, 1, 2, 1)]
    [InlineData("copy", -3, 1, 2, 1)]
    [InlineData("object", -2, 2, 2, 1)]
    [InlineData("memory", -2, 2, 2, 1)]
    [InlineData("randomkey", 1, 0, 0, 0)]
    [InlineData("touch", -2, 1, -1, 1)]
    public void Specs_MatchRedisCommandOutput(string name, int arity, int first, int last, int step)
    {
        var spec = CommandTable.Find(name)!;
        Assert.Equal((arity, first, last, step), (spec.Arity, spec.FirstKey, spec.LastKey, spec.KeyStep));
    }

    [Fact]
    public void Flags_SplitReadsFromWrites_AndMarkWholeKeyspaceCommands()
    {
        string[] allKeys = ["keys", "scan", "dbsize", "flushall", "randomkey", "flushdb", "swapdb", "sort", "sort_ro"];
        foreach (var spec in CommandTable.All)
        {
            bool write = spec.Flags.HasFlag(CommandFlags.Write);
            bool read = spec.Flags.HasFlag(CommandFlags.ReadOnly);
            Assert.True(write ^ read, $"{spec.Name} must be exactly one of Write or ReadOnly");
            Assert.Equal(allKeys.Contains(spec.Name), spec.Flags.HasFlag(CommandFlags.AllKeys));
        }
        Assert.Equal(106 + 35 + 4 + 4, CommandTable.All.Count); // 35 sorted-set commands, 4 database commands, SORT, SORT_RO, DUMP, RESTORE
        Assert.True(CommandTable.Find("incr")!.Flags.HasFlag(CommandFlags.Write));
        Assert.True(CommandTable.Find("ttl")!.Flags.HasFlag(CommandFlags.ReadOnly));
    }

    [Fact]
    public void MsetKeyIndexes_AreEveryOtherArgument()
    {
        Assert.Equal([1, 3, 5], CommandTable.Find("mset")!.KeyIndexes(7));
    }
}
