using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class SetMemberCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void SIsMember_And_SMIsMember()
    {
        _h.Run("SADD s a b");
        _h.Expect("SISMEMBER s a", Resp.Int(1));
        _h.Expect("SISMEMBER s z", Resp.Int(0));
        _h.Expect("SISMEMBER missing a", Resp.Int(0));
        _h.Expect("SMISMEMBER s a z b", "*3\r\n:1\r\n:0\r\n:1\r\n");
        _h.Expect("SMISMEMBER missing a", "*1\r\n:0\r\n");
        _h.Run("SET str x");
        _h.Expect("SISMEMBER str a", Resp.WrongType);
        _h.Expect("SMISMEMBER str a", Resp.WrongType);
    }

    [Fact]
    public void SRandMember_PositiveCountsAreDistinct_NegativeCountsMayRepeat()
    {
        _h.Run("SADD s a b c");
        Assert.Contains(_h.Run("SRANDMEMBER s"), new[] { Resp.Bulk("a"), Resp.Bulk("b"), Resp.Bulk("c") });
        _h.Expect("SRANDMEMBER missing", Resp.Nil);
        _h.Expect("SRANDMEMBER missing 5", Resp.EmptyArray);
        _h.Expect("SRANDMEMBER s 0", Resp.EmptyArray);
        var all = _h.Run("SRANDMEMBER s 10");
        Assert.StartsWith("*3\r\n", all);
        foreach (var member in new[] { "a", "b", "c" })
            Assert.Contains(Resp.Bulk(member), all);
        var two = _h.Run("SRANDMEMBER s 2").Split("\r\n").Where((_, i) => i % 2 == 0 && i > 0).Where(t => t.Length > 0).ToList();
        Assert.Equal(2, two.Distinct().Count());
        var repeated = _h.Run("SRANDMEMBER s -20");
        Assert.StartsWith("*20\r\n", repeated);
        _h.Expect("SRANDMEMBER s 1 2", Resp.Syntax);
        _h.Expect("SRANDMEMBER s -9223372036854775808",
            Resp.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
        Assert.DoesNotContain(_h.AllEffects, e => System.Text.Encoding.UTF8.GetString(e[0]) != "SADD");
    }

    [Fact]
    public void SMove_MovesAMember_WithRedisEdgeCases()
    {
        _h.Run("SADD src a b");
        _h.Expect("SMOVE src dst a", Resp.Int(1));
        Assert.Equal(["SMOVE src dst a"], _h.LastEffects);
        _h.Expect("SMOVE src dst zz", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("SMOVE src src b", Resp.Int(1));
        Assert.Empty(_h.LastEffects);
        _h.Expect("SMOVE src dst b", Resp.Int(1));
        _h.Expect("EXISTS src", Resp.Int(0));
        _h.Expect("SMOVE src dst b", Resp.Int(0));
        _h.Expect("SCARD dst", Resp.Int(2));
        _h.Run("SET str x");
        _h.Expect("SMOVE dst str a", Resp.WrongType);
        _h.Expect("SMOVE str dst a", Resp.WrongType);
        _h.Expect("SMOVE missing str a", Resp.Int(0)); // a missing source answers 0 before any type check
    }

    [Fact]
    public void SScan_WalksLargeSetsInSlices_AndSmallOnesAtOnce()
    {
        for (int i = 0; i < 500; i++)
            _h.Run($"SADD big m{i}");
        var seen = new List<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            var lines = _h.Run($"SSCAN big {cursor} COUNT 5 MATCH m*").Split("\r\n");
            cursor = lines[2];
            seen.AddRange(lines.Skip(4).Where((_, i) => i % 2 == 1).Where(t => t.Length > 0));
            _h.Run($"SREM big m{calls * 7}"); // removals during the walk must not hide others
            calls++;
        }
        while (cursor != "0");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        for (int i = 0; i < 500; i++)
        {
            if (i % 7 != 0 || i / 7 >= calls)
                Assert.Contains($"m{i}", seen);
        }
        Assert.True(calls > 1, "a large set comes in more than one slice");
        _h.Run("SADD small a b c");
        var once = _h.Run("SSCAN small 0");
        Assert.StartsWith("*2\r\n" + Resp.Bulk("0") + "*3\r\n", once);
        _h.Expect("SSCAN small 0 MATCH z*", "*2\r\n" + Resp.Bulk("0") + Resp.EmptyArray);
        _h.Expect("SSCAN small -1", Resp.Error("ERR invalid cursor"));
    }
}
