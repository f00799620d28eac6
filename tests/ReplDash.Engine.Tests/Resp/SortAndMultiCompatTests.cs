using ReplDash.Testing;
using StackExchange.Redis;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Over real TCP: SORT and SORT_RO through StackExchange.Redis and a raw client; DUMP and RESTORE (replicated to both
/// slaves); what Redis refuses inside MULTI
/// (SAVE, SHUTDOWN) and a CONFIG SET error answered inside EXEC, with Redis's texts; a RESP3 client's EXEC replies.
/// </summary>
[Collection(CompatClusterCollection.Name)]
public sealed class SortAndMultiCompatTests(CompatClusterFixture fixture)
{
    private int Master => fixture.Cluster.MasterResp;

    private IDatabase Db => fixture.Redis.GetDatabase();

    [Fact]
    public async Task StackExchangeRedis_SortsByWeights_GetsFields_AndStores()
    {
        await Db.ExecuteAsync("DEL", "sesort:l", "sesort:dst");
        await Db.ListRightPushAsync("sesort:l", ["b", "c", "a"]);
        await Db.StringSetAsync([new("sesort:w_a", "3"), new("sesort:w_b", "1"), new("sesort:w_c", "2")]);
        await Db.HashSetAsync("sesort:h_a", "name", "Ann");

        Assert.Equal(["a", "b", "c"], (await Db.SortAsync("sesort:l", sortType: SortType.Alphabetic)).Select(v => (string?)v));
        Assert.Equal(["b", "c", "a"], (await Db.SortAsync("sesort:l", by: "sesort:w_*")).Select(v => (string?)v));
        Assert.Equal(["a", "c"], (await Db.SortAsync("sesort:l", skip: 0, take: 2, order: Order.Descending, by: "sesort:w_*")).Select(v => (string?)v));
        Assert.Equal(["a", "Ann", "b", null],
            (await Db.SortAsync("sesort:l", take: 2, sortType: SortType.Alphabetic, get: ["#", "sesort:h_*->name"])).Select(v => (string?)v));

        Assert.Equal(3, await Db.SortAndStoreAsync("sesort:dst", "sesort:l", by: "sesort:w_*", order: Order.Descending));
        Assert.Equal(["a", "c", "b"], (await Db.ListRangeAsync("sesort:dst")).Select(v => (string?)v));
    }

    [Fact]
    public async Task StackExchangeRedis_DumpAndRestore_RoundTrip_AndReachBothSlaves()
    {
        await Db.ExecuteAsync("DEL", "sedump:h", "sedump:copy", "sedump:z", "sedump:zcopy");
        await Db.HashSetAsync("sedump:h", [new("f1", "v1"), new("f2", "v2")]);
        await Db.SortedSetAddAsync("sedump:z", [new("a", 1.5), new("b", -2)]);

        var payload = await Db.KeyDumpAsync("sedump:h");
        Assert.NotNull(payload);
        await Db.KeyRestoreAsync("sedump:copy", payload);
        await Db.KeyRestoreAsync("sedump:zcopy", (await Db.KeyDumpAsync("sedump:z"))!, TimeSpan.FromHours(1));
        Assert.Equal("v2", (string?)await Db.HashGetAsync("sedump:copy", "f2"));
        Assert.Equal(-2, await Db.SortedSetScoreAsync("sedump:zcopy", "b"));
        Assert.InRange((await Db.KeyTimeToLiveAsync("sedump:zcopy"))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        var busy = await Assert.ThrowsAsync<RedisServerException>(() => Db.KeyRestoreAsync("sedump:copy", payload));
        Assert.StartsWith("BUSYKEY", busy.Message);

        foreach (var slave in new[] { fixture.Cluster.Slave1Resp, fixture.Cluster.Slave2Resp })
        {
            var (master, replica) = await Convergence.CaughtUpDigestsAsync(Master, slave, CompatClusterFixture.CatchUp);
            Assert.Equal(master, replica);
        }
    }

    [Fact]
    public async Task Sort_Errors_AreRedisTexts()
    {
        using var client = await RespTestClient.ConnectAsync(Master);
        await client.CallAsync("DEL", "rsort:l");
        await client.CallAsync("RPUSH", "rsort:l", "1", "x");
        Assert.Equal(new RespError("ERR One or more scores can't be converted into double"), await client.CallAsync("SORT", "rsort:l"));
        Assert.Equal(new RespError("ERR syntax error"), await client.CallAsync("SORT_RO", "rsort:l", "STORE", "rsort:d"));
        await client.CallAsync("SET", "rsort:s", "v");
        Assert.Equal(new RespError("WRONGTYPE Operation against a key holding the wrong kind of value"), await client.CallAsync("SORT", "rsort:s"));
        Assert.Equal("PONG", await client.CallAsync("PING")); // the connection keeps serving
    }

    [Theory]
    [InlineData("SAVE")]
    [InlineData("SHUTDOWN")]
    public async Task NoMultiCommands_AreRefusedInsideMulti_AndAbortIt(string command)
    {
        using var client = await RespTestClient.ConnectAsync(Master);
        await client.CallAsync("DEL", "nomulti:foo");
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("SET", "nomulti:foo", "bar"));
        Assert.Equal(new RespError("ERR Command not allowed inside a transaction"), await client.CallAsync(command));
        Assert.StartsWith("EXECABORT", Assert.IsType<RespError>(await client.CallAsync("EXEC")).Message);
        Assert.Null(await client.CallAsync("GET", "nomulti:foo"));
    }

    [Fact]
    public async Task ConfigSetError_InsideMulti_IsAnErrorInTheExecReply()
    {
        using var client = await RespTestClient.ConnectAsync(Master);
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("SET", "cfgmulti:foo", "bar"));
        Assert.Equal("QUEUED", await client.CallAsync("CONFIG", "SET", "maxmemory", "bla"));
        var replies = Assert.IsType<object?[]>(await client.CallAsync("EXEC"));
        Assert.Equal("OK", replies[0]);
        Assert.StartsWith("ERR CONFIG SET failed (possibly related to argument 'maxmemory')", Assert.IsType<RespError>(replies[1]).Message);
        Assert.Equal("bar", RespTestClient.Text(await client.CallAsync("GET", "cfgmulti:foo")));
    }

    [Fact]
    public async Task Resp3Client_GetsRespThreeFormsInsideExec_AlsoNextToServerCommands()
    {
        using var client = await RespTestClient.ConnectAsync(Master);
        await client.CallAsync("DEL", "r3multi:z");
        Assert.IsType<RespMap>(await client.CallAsync("HELLO", "3"));
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("ZADD", "r3multi:z", "1.5", "a"));
        Assert.Equal("QUEUED", await client.CallAsync("ZSCORE", "r3multi:z", "a"));
        Assert.Equal("QUEUED", await client.CallAsync("PING"));
        Assert.Equal("QUEUED", await client.CallAsync("ZSCORE", "r3multi:z", "nobody"));
        var replies = Assert.IsType<object?[]>(await client.CallAsync("EXEC"));
        Assert.Equal([1L, new RespDouble("1.5"), "PONG", Resp3Null.Instance], replies);
    }
}
