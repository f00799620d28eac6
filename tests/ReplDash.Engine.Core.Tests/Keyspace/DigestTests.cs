using ReplDash.Engine.Core.Tests.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Keyspace;

public class DigestTests
{
    [Fact]
    public void EmptyStore_DigestsToZeros()
    {
        var h = new CommandHarness();
        Assert.Equal(new string('0', 40), h.Store.DigestHex());
        h.Run("SET a 1");
        Assert.NotEqual(new string('0', 40), h.Store.DigestHex());
        h.Run("DEL a");
        Assert.Equal(new string('0', 40), h.Store.DigestHex());
    }

    [Fact]
    public void SameData_ReachedByDifferentWriteOrders_DigestsEqually()
    {
        var a = new CommandHarness();
        a.Run("SET s v");
        a.Run("HSET h f1 1 f2 2 f3 3");
        a.Run("SADD set x y z");
        a.Run("RPUSH l 1 2 3");
        a.Run("PEXPIREAT s 5000000");

        var b = new CommandHarness();
        b.Run("SADD set z");
        b.Run("RPUSH l 1");
        b.Run("HSET h f3 3");
        b.Run("SET s old EX 9");
        b.Run("SADD set y x q");
        b.Run("SREM set q");
        b.Run("HSET h f2 2 f1 1");
        b.Run("RPUSH l 2 3");
        b.Run("SET s v PXAT 5000000");

        Assert.Equal(a.Store.DigestHex(), b.Store.DigestHex());
    }

    [Theory]
    [InlineData("SET s w")]
    [InlineData("PEXPIREAT s 5000001")]
    [InlineData("PERSIST s")]
    [InlineData("HSET h f1 9")]
    [InlineData("SADD set w")]
    [InlineData("LPUSH l 3")]
    [InlineData("SET extra v")]
    public void AnyDifference_ChangesTheDigest(string change)
    {
        var h = new CommandHarness();
        h.Run("SET s v PXAT 5000000");
        h.Run("HSET h f1 1");
        h.Run("SADD set x");
        h.Run("RPUSH l 1 2 3");
        string before = h.Store.DigestHex();
        h.Run(change);
        Assert.NotEqual(before, h.Store.DigestHex());
        Assert.Equal(40, h.Store.DigestHex().Length);
    }

    [Fact]
    public void ListOrder_Matters_AndTypeMatters()
    {
        var a = new CommandHarness();
        a.Run("RPUSH l 1 2");
        var b = new CommandHarness();
        b.Run("RPUSH l 2 1");
        Assert.NotEqual(a.Store.DigestHex(), b.Store.DigestHex());

        var set = new CommandHarness();
        set.Run("SADD k a");
        var list = new CommandHarness();
        list.Run("RPUSH k a");
        Assert.NotEqual(set.Store.DigestHex(), list.Store.DigestHex());
    }
}
