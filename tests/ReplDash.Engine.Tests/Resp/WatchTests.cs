using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// WATCH/UNWATCH over the data port with Redis 7's semantics: a watched key changed by anyone before EXEC makes
/// EXEC answer a null array and run nothing, on the master and on a slave (where the change is an applied item).
/// </summary>
[Collection(CompatClusterCollection.Name)]
public sealed class WatchTests(CompatClusterFixture fixture)
{
    private int Master => fixture.Cluster.MasterResp;

    [Fact]
    public async Task AWriteFromAnotherConnection_AbortsExec_AndNothingQueuedRuns()
    {
        using var me = await RespTestClient.ConnectAsync(Master);
        using var other = await RespTestClient.ConnectAsync(Master);
        Assert.Equal("OK", await me.CallAsync("SET", "watch:a", "0"));
        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:a", "watch:unrelated"));
        Assert.Equal("OK", await other.CallAsync("SET", "watch:a", "theirs"));
        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await me.CallAsync("SET", "watch:a", "mine"));
        Assert.Equal("QUEUED", await me.CallAsync("INCR", "watch:a:runs"));

        Assert.Null(await me.CallAsync("EXEC"));
        Assert.Equal("theirs", RespTestClient.Text(await me.CallAsync("GET", "watch:a")));
        Assert.Equal(0L, await me.CallAsync("EXISTS", "watch:a:runs"));

        // The failed EXEC unwatched: the same transaction now commits.
        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await me.CallAsync("SET", "watch:a", "mine"));
        Assert.Equal(new object?[] { "OK" }, await me.CallAsync("EXEC"));
    }

    [Fact]
    public async Task WithoutAConflict_ExecCommits_AndKeysAreNoLongerWatchedAfterwards()
    {
        using var me = await RespTestClient.ConnectAsync(Master);
        using var other = await RespTestClient.ConnectAsync(Master);
        Assert.Equal("OK", await me.CallAsync("SET", "watch:b", "1"));
        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:b"));
        Assert.Equal("1", RespTestClient.Text(await other.CallAsync("GET", "watch:b"))); // a read changes nothing
        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await me.CallAsync("INCR", "watch:b"));
        Assert.Equal(new object?[] { 2L }, await me.CallAsync("EXEC"));

        Assert.Equal("OK", await other.CallAsync("SET", "watch:b", "9"));
        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await me.CallAsync("INCR", "watch:b"));
        Assert.Equal(new object?[] { 10L }, await me.CallAsync("EXEC"));
    }

    [Fact]
    public async Task AWatchedMissingKeyCreatedByAnother_TheSameConnectionsOwnWrite_AndExpiry_AllAbort()
    {
        using var me = await RespTestClient.ConnectAsync(Master);
        using var other = await RespTestClient.ConnectAsync(Master);

        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:missing"));
        Assert.Equal(1L, await other.CallAsync("RPUSH", "watch:missing", "x"));
        Assert.Null(await ExecPing(me));

        Assert.Equal("OK", await me.CallAsync("SET", "watch:own", "1"));
        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:own"));
        Assert.Equal("OK", await me.CallAsync("SET", "watch:own", "2"));
        Assert.Null(await ExecPing(me));

        Assert.Equal("OK", await me.CallAsync("SET", "watch:exp", "1"));
        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:exp"));
        Assert.Equal(1L, await other.CallAsync("EXPIRE", "watch:exp", "100"));
        Assert.Null(await ExecPing(me));

        Assert.Equal("OK", await me.CallAsync("SET", "watch:flushed", "1"));
        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:flushed"));
        Assert.Equal(1L, await other.CallAsync("DEL", "watch:flushed"));
        Assert.Null(await ExecPing(me));
    }

    [Fact]
    public async Task UnwatchAndDiscard_ClearWatches_AndWatchInsideMultiIsRefusedWithoutSpoilingIt()
    {
        using var me = await RespTestClient.ConnectAsync(Master);
        using var other = await RespTestClient.ConnectAsync(Master);
        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:c"));
        Assert.Equal("OK", await other.CallAsync("SET", "watch:c", "1"));
        Assert.Equal("OK", await me.CallAsync("UNWATCH"));
        Assert.Equal(new object?[] { "PONG" }, await ExecPing(me));

        Assert.Equal("OK", await me.CallAsync("WATCH", "watch:c"));
        Assert.Equal("OK", await other.CallAsync("SET", "watch:c", "2"));
        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal("OK", await me.CallAsync("DISCARD"));
        Assert.Equal(new object?[] { "PONG" }, await ExecPing(me));

        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal(new RespError("ERR WATCH inside MULTI is not allowed"), await me.CallAsync("WATCH", "watch:c"));
        Assert.Equal("QUEUED", await me.CallAsync("INCR", "watch:c"));
        Assert.Equal(new object?[] { 3L }, await me.CallAsync("EXEC"));

        Assert.Equal(new RespError("ERR wrong number of arguments for 'watch' command"), await me.CallAsync("WATCH"));
        Assert.Equal("OK", await me.CallAsync("UNWATCH"));
    }

    [Fact]
    public async Task ConnectionCommandsInsideMulti_AreQueued_AndAnsweredInOrder()
    {
        using var me = await RespTestClient.ConnectAsync(Master);
        Assert.Equal("OK", await me.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await me.CallAsync("SET", "watch:q", "1"));
        Assert.Equal("QUEUED", await me.CallAsync("PING"));
        Assert.Equal("QUEUED", await me.CallAsync("ECHO", "hello"));
        Assert.Equal("QUEUED", await me.CallAsync("INCR", "watch:q"));
        Assert.Equal("QUEUED", await me.CallAsync("INFO", "server"));
        var replies = Assert.IsType<object?[]>(await me.CallAsync("EXEC"));
        Assert.Equal(5, replies.Length);
        Assert.Equal("OK", replies[0]);
        Assert.Equal("PONG", replies[1]);
        Assert.Equal("hello", RespTestClient.Text(replies[2]));
        Assert.Equal(2L, replies[3]);
        Assert.Contains("redis_version", RespTestClient.Text(replies[4]));
    }

    [Fact]
    public async Task OnASlave_AnAppliedWriteOfAWatchedKey_AbortsExec()
    {
        int slave = fixture.Cluster.Slave1Resp;
        using var writer = await RespTestClient.ConnectAsync(Master);
        using var reader = await RespTestClient.ConnectAsync(slave);
        Assert.Equal("OK", await writer.CallAsync("SET", "watch:repl", "1"));
        await Poll.UntilAsync(async () => RespTestClient.Text(await reader.CallAsync("GET", "watch:repl")) == "1", "the slave to apply SET");

        Assert.Equal("OK", await reader.CallAsync("WATCH", "watch:repl"));
        Assert.Equal("OK", await writer.CallAsync("SET", "watch:repl", "2"));
        await Poll.UntilAsync(async () => await Convergence.GetAsync(slave, "watch:repl") == "2", "the slave to apply the second SET");
        Assert.Equal("OK", await reader.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await reader.CallAsync("GET", "watch:repl"));
        Assert.Null(await reader.CallAsync("EXEC"));

        // Unchanged since WATCH: the slave's read-only transaction runs.
        Assert.Equal("OK", await reader.CallAsync("WATCH", "watch:repl"));
        Assert.Equal("OK", await reader.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await reader.CallAsync("GET", "watch:repl"));
        var replies = Assert.IsType<object?[]>(await reader.CallAsync("EXEC"));
        Assert.Equal("2", RespTestClient.Text(replies[0]));
    }

    [Fact]
    public async Task OnASlave_AFullResync_AbortsEveryWatcher()
    {
        int slave = fixture.Cluster.Slave2Resp;
        using var writer = await RespTestClient.ConnectAsync(Master);
        Assert.Equal("OK", await writer.CallAsync("SET", "watch:resync", "1"));
        await Convergence.CaughtUpDigestsAsync(Master, slave, CompatClusterFixture.CatchUp);
        using var reader = await RespTestClient.ConnectAsync(slave);
        Assert.Equal("OK", await reader.CallAsync("WATCH", "watch:resync"));

        // The snapshot holds the same value, but the whole keyspace was replaced under the watcher.
        using var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.PostAsync("api/nodes/s2/resync", null)).StatusCode);
        await Convergence.WaitForEventAsync(fixture.App.BaseAddress, "full-resync-end", CompatClusterFixture.CatchUp, "s2");
        await Convergence.CaughtUpDigestsAsync(Master, slave, CompatClusterFixture.CatchUp);

        Assert.Null(await ExecPing(reader));
        Assert.Equal(new object?[] { "PONG" }, await ExecPing(reader)); // unwatched by that EXEC
    }

    private static async Task<object?> ExecPing(RespTestClient client)
    {
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("PING"));
        return await client.CallAsync("EXEC");
    }
}
