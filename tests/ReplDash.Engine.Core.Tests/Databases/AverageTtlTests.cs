namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>INFO keyspace's avg_ttl: the exact mean ms left of each database's keys with a TTL (Redis samples it).</summary>
public class AverageTtlTests
{
    private const long Now = 1_000_000;
    private readonly DatabaseHarness _h = new(nowMs: Now);

    [Fact]
    public void MeanOfTheTimeLeft_PerDatabase()
    {
        _h.Run("SET a v PX 10000");
        _h.Run("SET b v PX 20000");
        _h.Run("SET forever v");
        _h.Run("SELECT 3");
        _h.Run("SET c v PX 4000");

        Assert.Equal(15_000, _h.Databases[0].AverageTtlMs(Now));
        Assert.Equal(4_000, _h.Databases[3].AverageTtlMs(Now));
        Assert.Equal(0, _h.Databases[5].AverageTtlMs(Now)); // empty
        Assert.Equal(10_000, _h.Databases[0].AverageTtlMs(Now + 10_000)); // a is due: only b counts, with 10 s left of its 20
        Assert.Equal(6_000, _h.Databases[0].AverageTtlMs(Now + 9_000)); // both count: 1 s and 11 s left
    }

    [Fact]
    public void FollowsExpiryChanges_AndIsZeroWithoutExpiries()
    {
        _h.Run("SET a v PX 10000");
        _h.Run("SET b v PX 30000");
        _h.Run("PEXPIRE a 50000");
        Assert.Equal(40_000, _h.Databases[0].AverageTtlMs(Now));
        _h.Run("PERSIST b");
        Assert.Equal(50_000, _h.Databases[0].AverageTtlMs(Now));
        _h.Run("SET a overwritten"); // SET without KEEPTTL clears the TTL
        Assert.Equal(0, _h.Databases[0].AverageTtlMs(Now));
        _h.Run("SET c v PX 7");
        _h.Run("FLUSHDB");
        Assert.Equal(0, _h.Databases[0].AverageTtlMs(Now));
        _h.Run("SET d v PX 3");
        Assert.Equal(3, _h.Databases[0].AverageTtlMs(Now));
    }

    [Fact]
    public void RoundsTowardZero()
    {
        _h.Run("SET a v PX 1");
        _h.Run("SET b v PX 2");
        Assert.Equal(1, _h.Databases[0].AverageTtlMs(Now)); // 1.5 ms
    }
}
