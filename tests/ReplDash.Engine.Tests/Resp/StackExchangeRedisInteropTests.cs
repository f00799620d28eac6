using System.Net;
using ReplDash.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// StackExchange.Redis, the usual .NET Redis client, against the embedded cluster: one multiplexer over m1, s1 and s2
/// finds the primary by itself, reads and writes strings, hashes, lists and sets, runs a transaction, and what it
/// wrote on the primary is read back from each replica once replicated.
/// </summary>
public sealed class StackExchangeRedisInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);
    private readonly StringWriter _log = new();
    private ClusterConfig _cluster = null!;
    private ReplDashProcess? _app;
    private ConnectionMultiplexer? _redis;

    private ConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("not connected");

    public async Task InitializeAsync()
    {
        (_cluster, _app) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1,s2", c => c.MasterResp);
        await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, _cluster.Slave1Resp, CatchUp);
        await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, _cluster.Slave2Resp, CatchUp);
        var options = new ConfigurationOptions
        {
            EndPoints = { { IPAddress.Loopback, _cluster.MasterResp }, { IPAddress.Loopback, _cluster.Slave1Resp }, { IPAddress.Loopback, _cluster.Slave2Resp } },
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            SyncTimeout = 15_000,
            AsyncTimeout = 15_000,
            // Without pub/sub here (StackExchangeRedisResp3Tests covers it): no "primary changed" channel, no subscription connection.
            ConfigurationChannel = "",
            CommandMap = CommandMap.Create(["SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "PUBLISH"], available: false),
        };
        _redis = await ConnectionMultiplexer.ConnectAsync(options, _log);
    }

    public async Task DisposeAsync()
    {
        // What the client did on connect (commands it tried, how it decided each server's role), for a failure's diagnosis.
        output.WriteLine(_log.ToString());
        if (_redis is not null)
            await _redis.DisposeAsync();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    private IServer Server(int port) => Redis.GetServer(IPAddress.Loopback, port);

    [Fact]
    public void ThreeEndpoints_TheClientFindsM1AsThePrimaryAndBothSlavesAsReplicas()
    {
        Assert.True(Redis.IsConnected, _log.ToString());
        var primaries = Redis.GetServers().Where(s => !s.IsReplica).ToList();
        Assert.Equal([_cluster.MasterResp], primaries.Select(s => ((IPEndPoint)s.EndPoint).Port));
        Assert.True(Server(_cluster.Slave1Resp).IsReplica, _log.ToString());
        Assert.True(Server(_cluster.Slave2Resp).IsReplica, _log.ToString());
        Assert.All(Redis.GetServers(), s => Assert.True(s.IsConnected, $"{s.EndPoint} not connected:\n{_log}"));
    }

    [Fact]
    public async Task StringsHashesListsAndSets_WrittenThroughTheClient_ReadBackOnThePrimaryAndEachReplica()
    {
        var db = Redis.GetDatabase();

        Assert.True(await db.StringSetAsync("se:s", "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync("se:s"));
        Assert.Equal(11, await db.StringAppendAsync("se:s", " world"));
        Assert.Equal(5, await db.StringIncrementAsync("se:n", 5));
        Assert.Equal(4, await db.StringDecrementAsync("se:n"));
        // (StringSet with an expiry sends SETEX, which the engine does not serve: SET then EXPIRE.)
        Assert.True(await db.StringSetAsync("se:ttl", "x"));
        Assert.True(await db.KeyExpireAsync("se:ttl", TimeSpan.FromSeconds(100)));
        Assert.InRange((await db.KeyTimeToLiveAsync("se:ttl"))!.Value.TotalSeconds, 90, 100);
        Assert.False(await db.StringSetAsync("se:s", "other", when: When.NotExists));

        // (HashSet with several entries sends HMSET, which the engine does not serve: one HSET per field.)
        Assert.True(await db.HashSetAsync("se:h", "f1", "1"));
        Assert.True(await db.HashSetAsync("se:h", "f2", "2"));
        Assert.False(await db.HashSetAsync("se:h", "f2", "2"));
        Assert.Equal("2", (string?)await db.HashGetAsync("se:h", "f2"));
        Assert.Equal(2, await db.HashLengthAsync("se:h"));
        Assert.True(await db.HashDeleteAsync("se:h", "f1"));
        Assert.Equal([new HashEntry("f2", "2")], await db.HashGetAllAsync("se:h"));

        Assert.Equal(3, await db.ListRightPushAsync("se:l", ["a", "b", "c"]));
        Assert.Equal(4, await db.ListLeftPushAsync("se:l", "z"));
        Assert.Equal("z", (string?)await db.ListLeftPopAsync("se:l"));
        Assert.Equal(["a", "b", "c"], (await db.ListRangeAsync("se:l")).Select(v => (string?)v));

        Assert.Equal(3, await db.SetAddAsync("se:set", ["x", "y", "w"]));
        Assert.True(await db.SetRemoveAsync("se:set", "w"));
        Assert.Equal(["x", "y"], (await db.SetMembersAsync("se:set")).Select(v => (string)v!).Order());
        Assert.Equal(RedisType.Set, await db.KeyTypeAsync("se:set"));

        foreach (var replica in new[] { _cluster.Slave1Resp, _cluster.Slave2Resp })
        {
            var (master, slave) = await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, replica, CatchUp);
            Assert.Equal(master, slave);
            var server = Server(replica);
            Assert.Equal("hello world", (string?)await server.ExecuteAsync("GET", "se:s"));
            Assert.Equal("4", (string?)await server.ExecuteAsync("GET", "se:n"));
            Assert.Equal("2", (string?)await server.ExecuteAsync("HGET", "se:h", "f2"));
            Assert.Equal(["a", "b", "c"], ((RedisResult[])(await server.ExecuteAsync("LRANGE", "se:l", "0", "-1"))!).Select(r => (string?)r));
            Assert.Equal(2, (long)await server.ExecuteAsync("SCARD", "se:set"));
        }
        // The client's own replica routing reads the replicated data too.
        Assert.Equal("hello world", (string?)await db.StringGetAsync("se:s", CommandFlags.DemandReplica));
        Assert.Equal(["x", "y"], (await db.SetMembersAsync("se:set", CommandFlags.DemandReplica)).Select(v => (string)v!).Order());
    }

    [Fact]
    public async Task Transaction_WithoutConditions_AppliesEveryCommandAtOnceAndReplicatesIt()
    {
        var db = Redis.GetDatabase();
        var transaction = db.CreateTransaction();
        var set = transaction.StringSetAsync("tx:a", "1");
        var increment = transaction.StringIncrementAsync("tx:n", 10);
        var push = transaction.ListRightPushAsync("tx:l", ["p", "q"]);
        var hash = transaction.HashSetAsync("tx:h", "f", "v");
        var add = transaction.SetAddAsync("tx:s", "m");

        Assert.True(await transaction.ExecuteAsync());
        Assert.True(await set);
        Assert.Equal(10, await increment);
        Assert.Equal(2, await push);
        Assert.True(await hash);
        Assert.True(await add);
        Assert.Equal("1", (string?)await db.StringGetAsync("tx:a"));

        // A command the server rejects inside the transaction: EXEC answers its error in place, the rest applies (Redis's rule).
        var second = db.CreateTransaction();
        var wrongType = second.ListRightPushAsync("tx:a", "x");
        var after = second.StringIncrementAsync("tx:n");
        Assert.True(await second.ExecuteAsync());
        await Assert.ThrowsAsync<RedisServerException>(() => wrongType);
        Assert.Equal(11, await after);

        var (master, slave) = await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, _cluster.Slave2Resp, CatchUp);
        Assert.Equal(master, slave);
        Assert.Equal("11", (string?)await Server(_cluster.Slave2Resp).ExecuteAsync("GET", "tx:n"));
    }

    [Fact]
    public async Task HashListAndSetCommandsOfIssue14_ThroughTheClient_AndOnEachReplica()
    {
        var db = Redis.GetDatabase();

        // HashSet of several fields sends HMSET; HashIncrement sends HINCRBY (and HINCRBYFLOAT for a double).
        await db.HashSetAsync("se14:h", [new HashEntry("a", "1"), new HashEntry("b", "2"), new HashEntry("c", "3")]);
        Assert.Equal(["1", "2", "3"], (await db.HashGetAsync("se14:h", ["a", "b", "c"])).Select(v => (string?)v));
        Assert.Equal(11, await db.HashIncrementAsync("se14:h", "a", 10));
        Assert.Equal(2.5, await db.HashIncrementAsync("se14:h", "f", 2.5));
        Assert.True(await db.HashExistsAsync("se14:h", "b"));
        Assert.Equal(["a", "b", "c", "f"], (await db.HashKeysAsync("se14:h")).Select(v => (string)v!).Order());
        Assert.False(await db.HashSetAsync("se14:h", "a", "x", When.NotExists));
        Assert.Equal(4, (await db.HashScanAsync("se14:h").ToListAsync()).Count);

        // ListRange, ListRemove, ListTrim, and friends.
        Assert.Equal(6, await db.ListRightPushAsync("se14:l", ["a", "x", "b", "x", "c", "x"]));
        Assert.Equal(3, await db.ListRemoveAsync("se14:l", "x"));
        Assert.Equal(["a", "b", "c"], (await db.ListRangeAsync("se14:l")).Select(v => (string?)v));
        await db.ListTrimAsync("se14:l", 1, -1);
        Assert.Equal(["b", "c"], (await db.ListRangeAsync("se14:l")).Select(v => (string?)v));
        Assert.Equal("c", (string?)await db.ListGetByIndexAsync("se14:l", -1));
        await db.ListSetByIndexAsync("se14:l", 0, "B");
        Assert.Equal(3, await db.ListInsertAfterAsync("se14:l", "B", "mid"));
        Assert.Equal("c", (string?)await db.ListMoveAsync("se14:l", "se14:l2", ListSide.Right, ListSide.Left));
        Assert.Equal(1, await db.ListPositionAsync("se14:l", "mid"));

        // SetContains (SISMEMBER / SMISMEMBER) and SetCombine (SINTER, SUNION, SDIFF and their STORE forms).
        await db.SetAddAsync("se14:s1", ["1", "2", "3"]);
        await db.SetAddAsync("se14:s2", ["2", "3", "4"]);
        Assert.True(await db.SetContainsAsync("se14:s1", "2"));
        Assert.Equal(new[] { true, false }, await db.SetContainsAsync("se14:s1", ["1", "9"]));
        Assert.Equal(["2", "3"], (await db.SetCombineAsync(SetOperation.Intersect, "se14:s1", "se14:s2")).Select(v => (string)v!).Order());
        Assert.Equal(["1", "2", "3", "4"], (await db.SetCombineAsync(SetOperation.Union, "se14:s1", "se14:s2")).Select(v => (string)v!).Order());
        Assert.Equal(["1"], (await db.SetCombineAsync(SetOperation.Difference, "se14:s1", "se14:s2")).Select(v => (string)v!));
        Assert.Equal(2, await db.SetCombineAndStoreAsync(SetOperation.Intersect, "se14:inter", "se14:s1", "se14:s2"));
        Assert.True(await db.SetMoveAsync("se14:s1", "se14:s2", "1"));
        Assert.NotNull((string?)await db.SetRandomMemberAsync("se14:s2"));

        foreach (var replica in new[] { _cluster.Slave1Resp, _cluster.Slave2Resp })
        {
            var (master, slave) = await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, replica, CatchUp);
            Assert.Equal(master, slave);
        }
        Assert.Equal("11", (string?)await db.HashGetAsync("se14:h", "a", CommandFlags.DemandReplica));
        Assert.True(await db.SetContainsAsync("se14:inter", "3", CommandFlags.DemandReplica));
    }

    [Fact]
    public async Task SortedSets_WrittenThroughTheClient_ReadBackWithScoresOnThePrimaryAndEachReplica()
    {
        var db = Redis.GetDatabase();
        Assert.True(await db.SortedSetAddAsync("se:z", "one", 1));
        Assert.Equal(2, await db.SortedSetAddAsync("se:z", [new SortedSetEntry("two", 2), new SortedSetEntry("three", 3.5)]));
        Assert.False(await db.SortedSetAddAsync("se:z", "one", 1.25));
        Assert.Equal(4.75, await db.SortedSetIncrementAsync("se:z", "three", 1.25));
        Assert.Equal(-0.5, await db.SortedSetDecrementAsync("se:z", "neg", 0.5));
        Assert.Equal(
            [new SortedSetEntry("neg", -0.5), new SortedSetEntry("one", 1.25), new SortedSetEntry("two", 2), new SortedSetEntry("three", 4.75)],
            await db.SortedSetRangeByRankWithScoresAsync("se:z"));
        Assert.Equal(["three", "two"], (await db.SortedSetRangeByRankAsync("se:z", 0, 1, Order.Descending)).Select(v => (string?)v));
        Assert.Equal(["one", "two"], (await db.SortedSetRangeByScoreAsync("se:z", 1, 4)).Select(v => (string?)v));
        Assert.Equal(1.25, await db.SortedSetScoreAsync("se:z", "one"));
        Assert.Equal(2, await db.SortedSetRankAsync("se:z", "two"));
        Assert.Equal(4, await db.SortedSetLengthAsync("se:z"));
        Assert.True(await db.SortedSetRemoveAsync("se:z", "neg"));
        Assert.Equal(new SortedSetEntry("three", 4.75), await db.SortedSetPopAsync("se:z", Order.Descending));
        Assert.Equal(RedisType.SortedSet, await db.KeyTypeAsync("se:z"));

        foreach (var replica in new[] { _cluster.Slave1Resp, _cluster.Slave2Resp })
        {
            var (master, slave) = await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, replica, CatchUp);
            Assert.Equal(master, slave);
            // Under RESP3 (which this client negotiates) Redis 7 answers WITHSCORES as [member, score] pairs; flattened here.
            Assert.Equal(["one", "1.25", "two", "2"],
                ((RedisResult[])(await Server(replica).ExecuteAsync("ZRANGE", "se:z", "0", "-1", "WITHSCORES"))!)
                    .SelectMany(r => r.Resp3Type == ResultType.Array ? (RedisResult[])r! : [r]).Select(r => (string?)r));
        }
        Assert.Equal([new SortedSetEntry("one", 1.25), new SortedSetEntry("two", 2)],
            await db.SortedSetRangeByRankWithScoresAsync("se:z", flags: CommandFlags.DemandReplica));
        await Assert.ThrowsAsync<RedisServerException>(() => db.SortedSetAddAsync("se:z", "x", double.NaN));
    }
}
