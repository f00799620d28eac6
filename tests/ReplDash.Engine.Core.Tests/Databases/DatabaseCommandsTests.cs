using Reply = ReplDash.Engine.Core.Tests.Commands.Resp;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>SELECT, FLUSHDB, FLUSHALL, SWAPDB, MOVE and DBSIZE with Redis 7's replies and error texts, byte for byte.</summary>
public class DatabaseCommandsTests
{
    private readonly DatabaseHarness _h = new();

    [Fact]
    public void Select_SwitchesToSeparateKeyspaces()
    {
        _h.Run("SET k zero");
        _h.Expect("SELECT 1", Reply.Ok);
        Assert.Equal(1, _h.Selected);
        _h.Expect("GET k", Reply.Nil);
        _h.Expect("DBSIZE", Reply.Int(0));
        _h.Run("SET k one");
        _h.Run("SET other x");
        _h.Expect("DBSIZE", Reply.Int(2));
        _h.Expect("KEYS o*", Reply.Array("other"));
        _h.Expect("SELECT 15", Reply.Ok);
        _h.Expect("EXISTS k", Reply.Int(0));
        _h.Expect("SELECT 0", Reply.Ok);
        _h.Expect("GET k", Reply.Bulk("zero"));
        _h.Expect("DBSIZE", Reply.Int(1));
        Assert.Equal(3, _h.Databases.Count);
    }

    [Theory]
    [InlineData("SELECT 16", "ERR DB index is out of range")]
    [InlineData("SELECT -1", "ERR DB index is out of range")]
    [InlineData("SELECT x", "ERR value is not an integer or out of range")]
    [InlineData("SELECT 1.5", "ERR value is not an integer or out of range")]
    [InlineData("SELECT 99999999999", "ERR value is out of range, value must between -2147483648 and 2147483647")]
    [InlineData("MOVE k 99999999999", "ERR value is out of range, value must between -2147483648 and 2147483647")]
    [InlineData("SWAPDB x 1", "ERR invalid first DB index")]
    [InlineData("SWAPDB 0 y", "ERR invalid second DB index")]
    [InlineData("SWAPDB 99999999999 1", "ERR invalid first DB index")]
    [InlineData("SWAPDB 0 16", "ERR DB index is out of range")]
    [InlineData("SWAPDB -1 0", "ERR DB index is out of range")]
    [InlineData("MOVE k 16", "ERR DB index is out of range")]
    [InlineData("MOVE k x", "ERR value is not an integer or out of range")]
    [InlineData("MOVE k 0", "ERR source and destination objects are the same")]
    [InlineData("FLUSHDB FOO", "ERR syntax error")]
    [InlineData("FLUSHDB ASYNC SYNC", "ERR syntax error")]
    public void Errors_AreRedisTexts_AndChangeNothing(string command, string error)
    {
        _h.Run("SET k v");
        _h.Expect(command, Reply.Error(error));
        Assert.Equal(0, _h.Selected);
        Assert.Empty(_h.LastEffects);
        _h.Expect("GET k", Reply.Bulk("v"));
    }

    [Fact]
    public void WrongArity_IsRefusedBeforeRunning()
    {
        _h.Expect("SELECT", Reply.Error("ERR wrong number of arguments for 'select' command"));
        _h.Expect("SWAPDB 1", Reply.Error("ERR wrong number of arguments for 'swapdb' command"));
        _h.Expect("MOVE k", Reply.Error("ERR wrong number of arguments for 'move' command"));
    }

    [Fact]
    public void Select_IsNotAnEffect_ButAWriteInAnotherDatabaseIsPrecededByOne()
    {
        _h.Run("SELECT 3");
        Assert.Empty(_h.LastEffects);
        Assert.Empty(_h.Items);
        _h.Run("SET a 1");
        Assert.Equal(["SELECT 3", "SET a 1"], _h.LastEffects);
        _h.Run("SELECT 0");
        _h.Run("SET b 2");
        Assert.Equal(["SET b 2"], _h.LastEffects);
        // One item across databases: each switch is recorded where it happens.
        _h.Block("SET c 3", "SELECT 4", "INCR n", "SELECT 0", "INCR n");
        Assert.Equal(["SET c 3", "SELECT 4", "INCR n", "SELECT 0", "INCR n"], _h.LastEffects);
        Assert.Equal(0, _h.Selected);
    }

    [Theory]
    [InlineData("FLUSHDB")]
    [InlineData("FLUSHDB ASYNC")]
    [InlineData("FLUSHDB sync")]
    public void FlushDb_EmptiesOnlyTheSelectedDatabase(string command)
    {
        _h.Run("SET keep 0");
        _h.Run("SELECT 2");
        _h.Run("SET a 1");
        _h.Run("SADD s x");
        _h.Expect(command, Reply.Ok);
        Assert.Equal(["SELECT 2", command], _h.LastEffects);
        _h.Expect("DBSIZE", Reply.Int(0));
        // An empty database logs nothing.
        _h.Expect(command, Reply.Ok);
        Assert.Empty(_h.LastEffects);
        _h.Run("SELECT 0");
        _h.Expect("GET keep", Reply.Bulk("0"));
    }

    [Fact]
    public void FlushAll_EmptiesEveryDatabase()
    {
        _h.Run("SET a 1");
        _h.Run("SELECT 9");
        _h.Run("SET b 2");
        _h.Expect("FLUSHALL", Reply.Ok);
        Assert.Equal(["SELECT 9", "FLUSHALL"], _h.LastEffects);
        Assert.Equal(0, _h.Databases.Count);
        _h.Expect("FLUSHALL", Reply.Ok);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void SwapDb_ExchangesContents_ClientsStayOnTheirIndex()
    {
        _h.Run("SET a zero");
        _h.Run("SELECT 1");
        _h.Run("SET b one");
        _h.Run("PEXPIRE b 50000");
        _h.Expect("SWAPDB 0 1", Reply.Ok);
        Assert.Equal(["SELECT 1", "SWAPDB 0 1"], _h.LastEffects);
        Assert.Equal(1, _h.Selected);
        _h.Expect("GET a", Reply.Bulk("zero"));
        _h.Expect("GET b", Reply.Nil);
        _h.Run("SELECT 0");
        _h.Expect("GET b", Reply.Bulk("one"));
        _h.Expect("PTTL b", Reply.Int(50000));
        // The same database twice is accepted and changes nothing.
        _h.Expect("SWAPDB 3 3", Reply.Ok);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void Move_CarriesValueAndExpiry_AndRefusesAnOccupiedTarget()
    {
        _h.Run("HSET h f v");
        _h.Run("PEXPIRE h 9000");
        _h.Expect("MOVE h 5", Reply.Int(1));
        Assert.Equal(["MOVE h 5"], _h.LastEffects);
        _h.Expect("EXISTS h", Reply.Int(0));
        _h.Expect("MOVE h 5", Reply.Int(0)); // gone from the source
        _h.Run("SELECT 5");
        _h.Expect("HGET h f", Reply.Bulk("v"));
        _h.Expect("PTTL h", Reply.Int(9000));

        _h.Run("SET taken here");
        _h.Run("SELECT 6");
        _h.Run("SET taken there");
        _h.Expect("MOVE taken 5", Reply.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Expect("GET taken", Reply.Bulk("there"));
        _h.Run("SELECT 5");
        _h.Expect("GET taken", Reply.Bulk("here"));
    }

    [Fact]
    public void Move_OntoAnExpiredKey_DeletesItInTheTargetFirst_AsRedisLookupKeyWrite()
    {
        _h.Run("SELECT 2");
        _h.Run("SET k old");
        _h.Run("PEXPIRE k 10");
        _h.Run("SELECT 1");
        _h.Run("SET k new");
        _h.NowMs += 100;
        _h.Expect("MOVE k 2", Reply.Int(1));
        Assert.Equal(["SELECT 2", "DEL k", "SELECT 1", "MOVE k 2"], _h.LastEffects);
        _h.Run("SELECT 2");
        _h.Expect("GET k", Reply.Bulk("new"));
        _h.Expect("PTTL k", Reply.Int(-1));
    }

    [Fact]
    public void Move_OfAnExpiredKey_IsZero_AndLogsItsDeletion()
    {
        _h.Run("SET k v");
        _h.Run("PEXPIRE k 10");
        _h.NowMs += 100;
        _h.Expect("MOVE k 1", Reply.Int(0));
        Assert.Equal(["DEL k"], _h.LastEffects);
    }

    [Fact]
    public void Sweep_LogsEachDeletionInItsDatabase()
    {
        _h.Run("SELECT 7");
        _h.Run("SET k v");
        _h.Run("PEXPIRE k 10");
        _h.Run("SELECT 0");
        _h.Run("SET k v");
        _h.NowMs += 100;
        _h.Sweep();
        Assert.Equal(["SELECT 7", "DEL k"], Describe(_h.Items[^1]));
        _h.Expect("GET k", Reply.Bulk("v"));
    }

    [Fact]
    public void Copy_WithDb_CopiesIntoAnotherDatabase_AndLogsTheOption()
    {
        _h.Run("SET k v");
        _h.Run("PEXPIRE k 5000");
        _h.Expect("COPY k k DB 4", Reply.Int(1));
        Assert.Equal(["COPY k k DB 4"], _h.LastEffects);
        _h.Expect("COPY k k DB 4", Reply.Int(0)); // exists there now
        _h.Expect("COPY k k DB 4 REPLACE", Reply.Int(1));
        _h.Expect("COPY k k", Reply.Error("ERR source and destination objects are the same"));
        _h.Expect("COPY k k DB 0", Reply.Error("ERR source and destination objects are the same"));
        _h.Expect("COPY k other DB 16", Reply.Error("ERR DB index is out of range"));
        _h.Run("SELECT 4");
        _h.Expect("GET k", Reply.Bulk("v"));
        _h.Expect("PTTL k", Reply.Int(5000));
        _h.Expect("COPY k back DB 0", Reply.Int(1));
        Assert.Equal(["SELECT 4", "COPY k back DB 0"], _h.LastEffects);
        _h.Run("SELECT 0");
        _h.Expect("GET back", Reply.Bulk("v"));
    }

    [Fact]
    public void SwapDb_MakesKeysWatchedInEitherDatabaseChanged()
    {
        var inZero = new ReplDash.Engine.Core.Keyspace.KeyWatcher();
        var inTwo = new ReplDash.Engine.Core.Keyspace.KeyWatcher();
        var elsewhere = new ReplDash.Engine.Core.Keyspace.KeyWatcher();
        _h.Run("SET k v");
        _h.Databases[0].Watch(inZero, "k"u8.ToArray(), 1_000_000);
        _h.Databases[2].Watch(inTwo, "missing"u8.ToArray(), 1_000_000);
        _h.Databases[5].Watch(elsewhere, "k"u8.ToArray(), 1_000_000);
        _h.Run("SWAPDB 0 2");
        Assert.True(inZero.Dirty);
        Assert.True(inTwo.Dirty);
        Assert.False(elsewhere.Dirty);
    }

    private static List<string> Describe(ReplDash.Engine.Core.Binlog.BinlogItem item) =>
        item.Commands.Select(c => string.Join(' ', c.Select(a => System.Text.Encoding.UTF8.GetString(a)))).ToList();
}
