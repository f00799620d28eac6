using System.Net;
using ReplDash.Testing;
using StackExchange.Redis;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Sorted-set and HRANDFIELD replies to RESP3 clients over TCP, in Redis 7.0's shapes: a raw client sees doubles and
/// [member, score] pairs, and StackExchange.Redis in RESP3 mode reads them into the same values as in RESP2.
/// </summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class Resp3ZSetRepliesTests(Resp3ClusterFixture fixture)
{
    private int Master => fixture.Cluster.MasterResp;

    [Fact]
    public async Task RawResp3Client_GetsDoublesAndPairs()
    {
        using var client = await RespTestClient.ConnectAsync(Master);
        await client.CallAsync("DEL", "r3z:z", "r3z:h");
        await client.CallAsync("ZADD", "r3z:z", "1", "a", "2.5", "b");
        await client.CallAsync("HSET", "r3z:h", "f", "v");
        Assert.IsType<RespMap>(await client.CallAsync("HELLO", "3"));

        Assert.Equal(new RespDouble("2.5"), await client.CallAsync("ZSCORE", "r3z:z", "b"));
        var range = Assert.IsType<object?[]>(await client.CallAsync("ZRANGE", "r3z:z", "0", "-1", "WITHSCORES"));
        Assert.Equal(2, range.Length);
        var first = Assert.IsType<object?[]>(range[0]);
        Assert.Equal("a", RespTestClient.Text(first[0]));
        Assert.Equal(new RespDouble("1"), first[1]);
        var popped = Assert.IsType<object?[]>(await client.CallAsync("ZPOPMAX", "r3z:z"));
        Assert.Equal("b", RespTestClient.Text(popped[0]));
        Assert.Equal(new RespDouble("2.5"), popped[1]);
        var fields = Assert.IsType<object?[]>(await client.CallAsync("HRANDFIELD", "r3z:h", "1", "WITHVALUES"));
        Assert.Equal(["f", "v"], Assert.IsType<object?[]>(Assert.Single(fields)).Select(RespTestClient.Text));
    }

    [Fact]
    public async Task StackExchangeRedisInResp3_ReadsScoresRangesPopsAndRandomFields()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { IPAddress.Loopback, Master } },
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            SyncTimeout = 15_000,
            AsyncTimeout = 15_000,
            Protocol = RedisProtocol.Resp3,
        };
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        Assert.Equal(RedisProtocol.Resp3, redis.GetServer(IPAddress.Loopback, Master).Protocol);
        await db.ExecuteAsync("DEL", "se3z:z", "se3z:h");
        await db.SortedSetAddAsync("se3z:z", [new("a", 1), new("b", 2.5), new("c", 3)]);
        await db.HashSetAsync("se3z:h", "f", "v");

        Assert.Equal(2.5, await db.SortedSetScoreAsync("se3z:z", "b"));
        Assert.Equal([1, 2.5], (await db.SortedSetScoresAsync("se3z:z", ["a", "b"])).Select(s => s!.Value));
        Assert.Equal(3.5, await db.SortedSetIncrementAsync("se3z:z", "b", 1));
        var range = await db.SortedSetRangeByRankWithScoresAsync("se3z:z");
        Assert.Equal([("a", 1.0), ("c", 3.0), ("b", 3.5)], range.Select(e => ((string)e.Element!, e.Score)));
        var popped = await db.SortedSetPopAsync("se3z:z", 2);
        Assert.Equal([("a", 1.0), ("c", 3.0)], popped.Select(e => ((string)e.Element!, e.Score)));
        var single = await db.SortedSetPopAsync("se3z:z", Order.Descending);
        Assert.Equal(("b", 3.5), ((string)single!.Value.Element!, single.Value.Score));
        var random = await db.HashRandomFieldsWithValuesAsync("se3z:h", 1);
        Assert.Equal(("f", "v"), ((string)random.Single().Name!, (string)random.Single().Value!));
    }
}
