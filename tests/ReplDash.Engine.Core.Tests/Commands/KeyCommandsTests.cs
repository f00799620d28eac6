using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class KeyCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void Del_RecordsOnlyTheKeysThatExisted()
    {
        _h.Run("MSET k1 a k3 c");
        _h.Expect("DEL k1 k2 k3 k1", Resp.Int(2));
        Assert.Equal(["DEL k1 k3"], _h.LastEffects);
        _h.Expect("DEL k1", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void Exists_CountsRepeats()
    {
        _h.Run("SET a 1");
        _h.Expect("EXISTS a a missing", Resp.Int(2));
    }

    [Theory]
    [InlineData("SET k v", "+string\r\n")]
    [InlineData("HSET k f v", "+hash\r\n")]
    [InlineData("LPUSH k v", "+list\r\n")]
    [InlineData("SADD k v", "+set\r\n")]
    [InlineData("GET k", "+none\r\n")]
    public void Type_NamesEachType(string setup, string reply)
    {
        _h.Run(setup);
        _h.Expect("TYPE k", reply);
    }

    [Fact]
    public void Keys_MatchesGlobPatterns_AndSkipsExpiredKeys()
    {
        _h.Run("MSET hello 1 hallo 2 hxllo 3 world 4");
        _h.Run("SET hbllo 5 PX 10");
        _h.NowMs += 10;
        Assert.Equal(["hallo", "hello"], Keys("KEYS h[ae]llo"));
        Assert.Equal(["hallo", "hello", "hxllo"], Keys("KEYS h?llo"));
        Assert.Equal(["hxllo"], Keys("KEYS h[^a-e]llo"));
        Assert.Equal(["hallo", "hello", "hxllo", "world"], Keys("KEYS *"));
        Assert.Equal(0, _h.Store.Count - 4); // the expired key was deleted when met
    }

    [Fact]
    public void DbSize_AndFlushAll()
    {
        _h.Expect("FLUSHALL", Resp.Ok);
        Assert.Empty(_h.LastEffects);
        _h.Run("MSET a 1 b 2");
        _h.Run("SADD s x");
        _h.Expect("DBSIZE", Resp.Int(3));
        _h.Expect("FLUSHALL ASYNC", Resp.Ok);
        Assert.Equal(["FLUSHALL ASYNC"], _h.LastEffects);
        _h.Expect("DBSIZE", Resp.Int(0));
        _h.Expect("FLUSHALL LATER", Resp.Syntax);
    }

    [Fact]
    public void Scan_WalksEverything_ThenReturnsCursorZero()
    {
        for (int i = 0; i < 25; i++)
            _h.Run($"SET key{i} v");
        var seen = ScanAll("COUNT 7");
        Assert.Equal(25, seen.Count);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"key{i}").Order(), seen.Order());
    }

    [Fact]
    public void Scan_FiltersByMatchAndType()
    {
        _h.Run("MSET s1 a s2 b");
        _h.Run("SADD set1 x");
        _h.Run("HSET h1 f v");
        Assert.Equal(["s1", "s2", "set1"], ScanAll("MATCH s* COUNT 100").Order());
        Assert.Equal(["set1"], ScanAll("TYPE set"));
        Assert.Equal(["h1"], ScanAll("MATCH h* TYPE hash"));
    }

    [Theory]
    [InlineData("SCAN abc", "ERR invalid cursor")]
    [InlineData("SCAN -1", "ERR invalid cursor")]
    [InlineData("SCAN 0 COUNT 0", "ERR syntax error")]
    [InlineData("SCAN 0 COUNT x", "ERR value is not an integer or out of range")]
    [InlineData("SCAN 0 MATCH", "ERR syntax error")]
    [InlineData("SCAN 0 BOGUS 1", "ERR syntax error")]
    public void Scan_Errors(string command, string error) => _h.Expect(command, Resp.Error(error));

    [Fact]
    public void Scan_IsStable_WhileKeysAreAddedAndRemoved()
    {
        var random = new Random(42);
        for (int i = 0; i < 500; i++)
            _h.Run($"SET stable{i} v");
        for (int i = 0; i < 500; i++)
            _h.Run($"SET churn{i} v");
        var seen = new HashSet<string>();
        string cursor = "0";
        int added = 0, calls = 0;
        do
        {
            string reply = _h.Run($"SCAN {cursor} COUNT 13");
            var lines = reply.Split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.Length; i += 2)
                seen.Add(lines[i]);
            // Between calls: delete some churn keys, add new ones, and delete-and-recreate others.
            for (int j = 0; j < 10; j++)
            {
                _h.Run($"DEL churn{random.Next(500)}");
                _h.Run($"SET new{added++} v");
                _h.Run($"SET churn{random.Next(500)} again");
            }
            calls++;
            Assert.True(calls < 10_000, "SCAN did not terminate");
        }
        while (cursor != "0");
        var missing = Enumerable.Range(0, 500).Select(i => $"stable{i}").Where(k => !seen.Contains(k)).ToList();
        Assert.Empty(missing);
    }

    private List<string> Keys(string command)
    {
        var lines = _h.Run(command).Split("\r\n");
        return lines.Where((_, i) => i >= 2 && i % 2 == 0 && i < lines.Length - 1).Order().ToList();
    }

    private List<string> ScanAll(string options)
    {
        var seen = new List<string>();
        string cursor = "0";
        do
        {
            var lines = _h.Run($"SCAN {cursor} {options}").Split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.Length - 1; i += 2)
                seen.Add(lines[i]);
        }
        while (cursor != "0");
        return seen;
    }
}
