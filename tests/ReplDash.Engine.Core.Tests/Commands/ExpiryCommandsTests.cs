using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class ExpiryCommandsTests
{
    private readonly CommandHarness _h = new(nowMs: 1_000_000);

    [Theory]
    [InlineData("EXPIRE k 10", "PEXPIREAT k 1010000", 10)]
    [InlineData("PEXPIRE k 1500", "PEXPIREAT k 1001500", 2)]
    [InlineData("EXPIREAT k 2000", "PEXPIREAT k 2000000", 1000)]
    [InlineData("PEXPIREAT k 3000000", "PEXPIREAT k 3000000", 2000)]
    public void ExpireFamily_RecordsAbsolutePexpireat(string command, string effect, long ttlSeconds)
    {
        _h.Run("SET k v");
        _h.Expect(command, Resp.Int(1));
        Assert.Equal([effect], _h.LastEffects);
        _h.Expect("TTL k", Resp.Int(ttlSeconds));
        Assert.Equal(1, _h.Store.ExpiresCount);
    }

    [Theory]
    [InlineData("EXPIRE k -1")]
    [InlineData("PEXPIRE k 0")]
    [InlineData("EXPIREAT k 1")]
    [InlineData("PEXPIREAT k 1000000")]
    public void ExpireInThePast_OnMaster_DeletesAndRecordsDel(string command)
    {
        _h.Run("SET k v");
        _h.Expect(command, Resp.Int(1));
        Assert.Equal(["DEL k"], _h.LastEffects);
        _h.Expect("EXISTS k", Resp.Int(0));
    }

    [Fact]
    public void Expire_OnMissingKey_ReturnsZero_RecordsNothing()
    {
        _h.Expect("EXPIRE k 10", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
    }

    [Theory]
    [InlineData("EXPIRE k 10 NX", false, 1)]
    [InlineData("EXPIRE k 10 NX", true, 0)]
    [InlineData("EXPIRE k 10 XX", false, 0)]
    [InlineData("EXPIRE k 10 XX", true, 1)]
    [InlineData("EXPIRE k 500 GT", true, 1)]
    [InlineData("EXPIRE k 50 GT", true, 0)]
    [InlineData("EXPIRE k 50 GT", false, 0)]
    [InlineData("EXPIRE k 50 LT", true, 1)]
    [InlineData("EXPIRE k 500 LT", true, 0)]
    [InlineData("EXPIRE k 500 LT", false, 1)]
    public void ExpireConditions_FollowRedis7(string command, bool hasTtl100, int expected)
    {
        _h.Run("SET k v");
        if (hasTtl100)
            _h.Run("EXPIRE k 100");
        _h.Expect(command, Resp.Int(expected));
        Assert.Equal(expected, _h.LastEffects.Count);
    }

    [Theory]
    [InlineData("EXPIRE k 10 NX XX", "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData("EXPIRE k 10 GT LT", "ERR GT and LT options at the same time are not compatible")]
    [InlineData("EXPIRE k 10 FOO", "ERR Unsupported option FOO")]
    [InlineData("EXPIRE k ten", "ERR value is not an integer or out of range")]
    [InlineData("EXPIRE k 9223372036854775807", "ERR invalid expire time in 'expire' command")]
    [InlineData("PEXPIRE k 9223372036854775807", "ERR invalid expire time in 'pexpire' command")]
    public void ExpireErrors_UseRedisWording(string command, string error)
    {
        _h.Run("SET k v");
        _h.Expect(command, Resp.Error(error));
        Assert.Empty(_h.LastEffects);
    }

    [Fact]
    public void TtlAndPttl_ReportMissingPersistentAndRemaining()
    {
        _h.Expect("TTL k", Resp.Int(-2));
        _h.Run("SET k v");
        _h.Expect("PTTL k", Resp.Int(-1));
        _h.Run("PEXPIRE k 1499");
        _h.Expect("TTL k", Resp.Int(1)); // rounded like Redis
        _h.Expect("PTTL k", Resp.Int(1499));
    }

    [Fact]
    public void Persist_RemovesExpiry_RecordsOnlyWhenItDid()
    {
        _h.Run("SET k v");
        _h.Expect("PERSIST k", Resp.Int(0));
        Assert.Empty(_h.LastEffects);
        _h.Run("EXPIRE k 10");
        _h.Expect("PERSIST k", Resp.Int(1));
        Assert.Equal(["PERSIST k"], _h.LastEffects);
        _h.Expect("TTL k", Resp.Int(-1));
        Assert.Equal(0, _h.Store.ExpiresCount);
    }

    [Fact]
    public void LazyExpiry_OnMaster_DeletesOnTouch_AndRecordsDelBeforeTheCommand()
    {
        _h.Run("SET k 5 PX 100");
        _h.NowMs += 100;
        _h.Expect("INCR k", Resp.Int(1));
        Assert.Equal(["DEL k", "INCR k"], _h.LastEffects);
        _h.Expect("TTL k", Resp.Int(-1));
    }

    [Fact]
    public void LazyExpiry_OnRead_ReturnsNilAndDeletes()
    {
        _h.Run("SET k v PX 100");
        _h.NowMs += 99;
        _h.Expect("GET k", Resp.Bulk("v"));
        Assert.Empty(_h.LastEffects);
        _h.NowMs += 1;
        _h.Expect("GET k", Resp.Nil);
        Assert.Equal(["DEL k"], _h.LastEffects);
        Assert.Equal(0, _h.Store.Count);
    }

    [Fact]
    public void Sweep_DeletesOnlyDueKeys_UpToTheLimit_RecordingDels()
    {
        for (int i = 0; i < 5; i++)
            _h.Run($"SET due{i} v PX {10 + i}");
        _h.Run("SET later v EX 100");
        _h.Run("SET forever v");
        _h.NowMs += 20;
        Assert.Equal(3, _h.Sweep(3));
        Assert.Equal(["DEL due0", "DEL due1", "DEL due2"], _h.LastEffects);
        Assert.Equal(2, _h.Sweep(100));
        Assert.Equal(0, _h.Sweep(100));
        Assert.Equal(2, _h.Store.Count);
        Assert.Equal(1, _h.Store.ExpiresCount);
    }

    [Fact]
    public void WhileApplying_NothingExpires_AndNothingIsRecorded()
    {
        var replica = new CommandHarness(nowMs: null);
        replica.Expect("SET k v PXAT 5", Resp.Ok);
        replica.Expect("PEXPIREAT j 5", Resp.Int(0));
        replica.Expect("SET j v", Resp.Ok);
        replica.Expect("PEXPIREAT j 5", Resp.Int(1));
        replica.Expect("GET k", Resp.Bulk("v"));
        replica.Expect("EXISTS k j", Resp.Int(2));
        Assert.Equal(0, replica.Sweep(100));
        Assert.Empty(replica.AllEffects);
        Assert.Equal(2, replica.Store.ExpiresCount);
        replica.Expect("DEL k", Resp.Int(1)); // the master's DEL is what removes it
        Assert.Equal(1, replica.Store.Count);
    }

    [Fact]
    public void TtlOnReplica_UsesTheReadClock_ForDisplayOnly()
    {
        var replica = new CommandHarness(nowMs: null) { ReadClockMs = 1_000_000 };
        replica.Run("SET k v PXAT 1010000");
        replica.Expect("TTL k", Resp.Int(10));
        replica.ReadClockMs = 2_000_000;
        replica.Expect("PTTL k", Resp.Int(0));
        replica.Expect("GET k", Resp.Bulk("v"));
    }
}
