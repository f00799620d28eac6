using ReplDash.Engine.Core.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class StringCommandsTests
{
    private readonly CommandHarness _h = new(nowMs: 1_000_000);

    [Fact]
    public void SetThenGet_ReturnsValue_AndRecordsPlainSet()
    {
        _h.Expect("GET k", Resp.Nil);
        _h.Expect("SET k hello", Resp.Ok);
        Assert.Equal(["SET k hello"], _h.LastEffects);
        _h.Expect("GET k", Resp.Bulk("hello"));
        Assert.Empty(_h.LastEffects);
    }

    [Theory]
    [InlineData("SET k v EX 10", "SET k v PXAT 1010000")]
    [InlineData("SET k v PX 2500", "SET k v PXAT 1002500")]
    [InlineData("SET k v EXAT 5000", "SET k v PXAT 5000000")]
    [InlineData("SET k v PXAT 2000000", "SET k v PXAT 2000000")]
    [InlineData("SET k v KEEPTTL", "SET k v KEEPTTL")]
    [InlineData("set k v nx ex 1", "SET k v PXAT 1001000")]
    [InlineData("SET k v XX", "SET k v")]
    [InlineData("SET k v GET", "SET k v")]
    public void Set_RecordsDeterministicForm(string command, string effect)
    {
        _h.Run("SET k old");
        if (command.Contains("nx"))
            _h.Run("DEL k");
        _h.Run(command);
        Assert.Equal([effect], _h.LastEffects);
    }

    [Fact]
    public void SetWithExpiry_SetsTtl_AndPlainSetClearsIt_KeepTtlKeepsIt()
    {
        _h.Run("SET k v EX 100");
        _h.Expect("TTL k", Resp.Int(100));
        _h.Run("SET k v2 KEEPTTL");
        _h.Expect("PTTL k", Resp.Int(100_000));
        _h.Run("SET k v3");
        _h.Expect("TTL k", Resp.Int(-1));
    }

    [Fact]
    public void SetNx_OnExistingKey_ReturnsNil_AndRecordsNothing()
    {
        _h.Run("SET k v");
        _h.Expect("SET k other NX", Resp.Nil);
        Assert.Empty(_h.LastEffects);
        _h.Expect("GET k", Resp.Bulk("v"));
    }

    [Fact]
    public void SetXx_OnMissingKey_ReturnsNil_AndRecordsNothing()
    {
        _h.Expect("SET k v XX", Resp.Nil);
        Assert.Empty(_h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
    }

    [Fact]
    public void SetGet_ReturnsOldValue_EvenWhenNxRefuses()
    {
        _h.Expect("SET k v1 GET", Resp.Nil);
        _h.Expect("SET k v2 GET", Resp.Bulk("v1"));
        _h.Expect("SET k v3 NX GET", Resp.Bulk("v2"));
        Assert.Empty(_h.LastEffects);
        _h.Expect("GET k", Resp.Bulk("v2"));
    }

    [Fact]
    public void SetGet_OnWrongType_FailsWithoutSetting()
    {
        _h.Run("LPUSH k a");
        _h.Expect("SET k v GET", Resp.WrongType);
        Assert.Empty(_h.LastEffects);
        _h.Expect("TYPE k", "+list\r\n");
        _h.Expect("SET k v", Resp.Ok); // plain SET replaces any type
        _h.Expect("TYPE k", "+string\r\n");
    }

    [Theory]
    [InlineData("SET k v NX XX", "ERR syntax error")]
    [InlineData("SET k v EX 10 PX 100", "ERR syntax error")]
    [InlineData("SET k v EX 10 KEEPTTL", "ERR syntax error")]
    [InlineData("SET k v EX", "ERR syntax error")]
    [InlineData("SET k v BOGUS", "ERR syntax error")]
    [InlineData("SET k v EX ten", "ERR value is not an integer or out of range")]
    [InlineData("SET k v EX 0", "ERR invalid expire time in 'set' command")]
    [InlineData("SET k v PX -5", "ERR invalid expire time in 'set' command")]
    [InlineData("SET k v EX 9223372036854775807", "ERR invalid expire time in 'set' command")]
    public void Set_InvalidOptions_ReplyRedisErrors(string command, string error)
    {
        _h.Expect(command, Resp.Error(error));
        Assert.Empty(_h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
    }

    [Fact]
    public void SetPxatInThePast_OnMaster_DeletesExistingKey_RecordingDel()
    {
        _h.Run("SET k v");
        _h.Expect("SET k v2 PXAT 5", Resp.Ok);
        Assert.Equal(["DEL k"], _h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
        _h.Expect("SET other v PXAT 5", Resp.Ok);
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void SetNxCommand_AndGetSet_RecordPlainSet()
    {
        _h.Expect("SETNX k v", Resp.Int(1));
        Assert.Equal(["SET k v"], _h.LastEffects);
        _h.Expect("SETNX k w", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Run("EXPIRE k 100");
        _h.Expect("GETSET k w", Resp.Bulk("v"));
        Assert.Equal(["SET k w"], _h.LastEffects);
        _h.Expect("TTL k", Resp.Int(-1));
        _h.Expect("GETSET missing x", Resp.Nil);
        _h.Run("SADD s a");
        _h.Expect("GETSET s x", Resp.WrongType);
    }

    [Fact]
    public void MGet_ReturnsNilForMissingAndOtherTypes()
    {
        _h.Run("SET a 1");
        _h.Run("SADD s x");
        _h.Expect("MGET a missing s", "*3\r\n$1\r\n1\r\n$-1\r\n$-1\r\n");
    }

    [Fact]
    public void MSet_SetsAll_RecordsVerbatim_RejectsOddPairs()
    {
        _h.Expect("MSET a 1 b 2", Resp.Ok);
        Assert.Equal(["MSET a 1 b 2"], _h.LastEffects);
        _h.Expect("MGET a b", Resp.Array("1", "2"));
        _h.Expect("MSET a 1 b", Resp.Error("ERR wrong number of arguments for 'mset' command"));
        Assert.Empty(_h.LastEffects);
    }

    [Theory]
    [InlineData("INCR n", ":11\r\n")]
    [InlineData("DECR n", ":9\r\n")]
    [InlineData("INCRBY n 5", ":15\r\n")]
    [InlineData("INCRBY n -15", ":-5\r\n")]
    [InlineData("DECRBY n 20", ":-10\r\n")]
    public void IncrementFamily_ComputesAndRecordsVerbatim(string command, string reply)
    {
        _h.Run("SET n 10");
        _h.Expect(command, reply);
        Assert.Equal([command], _h.LastEffects);
    }

    [Theory]
    [InlineData("SET n abc", "INCR n", "ERR value is not an integer or out of range")]
    [InlineData("SET n 01", "INCR n", "ERR value is not an integer or out of range")]
    [InlineData("SET n +1", "INCR n", "ERR value is not an integer or out of range")]
    [InlineData("SET n 1", "INCRBY n x", "ERR value is not an integer or out of range")]
    [InlineData("SET n 9223372036854775807", "INCR n", "ERR increment or decrement would overflow")]
    [InlineData("SET n -9223372036854775808", "DECR n", "ERR increment or decrement would overflow")]
    [InlineData("SET n 1", "DECRBY n -9223372036854775808", "ERR decrement would overflow")]
    [InlineData("SET n 9223372036854775808", "INCR n", "ERR value is not an integer or out of range")]
    [InlineData("LPUSH n 1", "INCR n", "WRONGTYPE Operation against a key holding the wrong kind of value")]
    public void IncrementFamily_Errors_ChangeNothing(string setup, string command, string error)
    {
        _h.Run(setup);
        string before = _h.Store.DigestHex();
        _h.Expect(command, Resp.Error(error));
        Assert.Empty(_h.LastEffects);
        Assert.Equal(before, _h.Store.DigestHex());
    }

    [Fact]
    public void Incr_OnMissingKeyStartsAtZero_AndKeepsTtl()
    {
        _h.Expect("INCR n", Resp.Int(1));
        _h.Run("EXPIRE n 50");
        _h.Expect("INCR n", Resp.Int(2));
        _h.Expect("TTL n", Resp.Int(50));
        _h.Expect("GET n", Resp.Bulk("2"));
    }

    [Fact]
    public void Append_AndStrLen()
    {
        _h.Expect("APPEND k abc", Resp.Int(3));
        Assert.Equal(["APPEND k abc"], _h.LastEffects);
        _h.Expect("APPEND k de", Resp.Int(5));
        _h.Expect("GET k", Resp.Bulk("abcde"));
        _h.Expect("STRLEN k", Resp.Int(5));
        _h.Expect("STRLEN missing", Resp.Int(0));
        _h.Run("HSET h f v");
        _h.Expect("APPEND h x", Resp.WrongType);
        _h.Expect("STRLEN h", Resp.WrongType);
        _h.Expect("GET h", Resp.WrongType);
    }

    [Fact]
    public void Get_WrongArity_IsReportedByTheSpec()
    {
        _h.Expect("GET a b", Resp.Error("ERR wrong number of arguments for 'get' command"));
    }
}
