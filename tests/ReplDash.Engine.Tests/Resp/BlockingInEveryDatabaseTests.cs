using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Blocking pops in numbered databases over real TCP (Redis's own test suite runs in database 9): a client blocked in
/// a database is served by a write to its key in that database, never by the same key name in another one; SWAPDB
/// and MOVE bring a key in and serve it, as in Redis 7.0; list and sorted-set waiters on one key name share one
/// registry and one serving pass, each served only by its own type.
/// </summary>
public class BlockingInEveryDatabaseTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private int Port => fixture.App.RespPort;

    private async Task BlockedClientsAsync(int count) =>
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(Port, "clients"))["blocked_clients"] == count.ToString(),
            $"{count} blocked client(s)", describe: async () => (await Convergence.InfoAsync(Port, "clients"))["blocked_clients"]);

    private async Task<RespTestClient> ConnectInAsync(int database)
    {
        var client = await RespTestClient.ConnectAsync(Port);
        Assert.Equal("OK", await client.CallAsync("SELECT", database.ToString()));
        return client;
    }

    private static string[] Texts(object? reply) => Assert.IsType<object?[]>(reply).Select(r => RespTestClient.Text(r)!).ToArray();

    [Fact]
    public async Task AListPopBlocksInDatabase9_AndOnlyAPushInDatabase9ServesIt()
    {
        using var waiter = await ConnectInAsync(9);
        using var elsewhere = await ConnectInAsync(0);
        using var same = await ConnectInAsync(9);
        await waiter.SendAsync("BLPOP", "db:list", "0");
        await BlockedClientsAsync(1);

        // The same key name in database 0 is another key: its push serves nobody.
        Assert.Equal(1L, await elsewhere.CallAsync("RPUSH", "db:list", "in-db0"));
        Assert.Equal(1L, await elsewhere.CallAsync("LLEN", "db:list"));
        await BlockedClientsAsync(1);

        Assert.Equal(1L, await same.CallAsync("RPUSH", "db:list", "in-db9"));
        Assert.Equal(["db:list", "in-db9"], Texts(await Task.Run(waiter.ReadReply)));
        await BlockedClientsAsync(0);
        Assert.Equal(0L, await same.CallAsync("EXISTS", "db:list"));
        Assert.Equal(1L, await elsewhere.CallAsync("LLEN", "db:list"));
        // The served client is still in database 9.
        Assert.Equal(1L, await same.CallAsync("RPUSH", "db:after", "x"));
        Assert.Equal(1L, await waiter.CallAsync("LLEN", "db:after"));
    }

    [Fact]
    public async Task SortedSetPopsBlockInDatabase9_AndOnlyAZAddInDatabase9ServesThem()
    {
        using var min = await ConnectInAsync(9);
        using var multi = await ConnectInAsync(9);
        using var elsewhere = await ConnectInAsync(3);
        using var same = await ConnectInAsync(9);
        await min.SendAsync("BZPOPMIN", "db:z", "0");
        await BlockedClientsAsync(1);
        await multi.SendAsync("BZMPOP", "0", "2", "db:none", "db:z", "MAX", "COUNT", "2");
        await BlockedClientsAsync(2);

        Assert.Equal(1L, await elsewhere.CallAsync("ZADD", "db:z", "1", "in-db3"));
        Assert.Equal(1L, await elsewhere.CallAsync("ZCARD", "db:z"));
        await BlockedClientsAsync(2);

        Assert.Equal(4L, await same.CallAsync("ZADD", "db:z", "1", "a", "2", "b", "3", "c", "4", "d"));
        Assert.Equal(["db:z", "a", "1"], Texts(await Task.Run(min.ReadReply)));
        var popped = Assert.IsType<object?[]>(await Task.Run(multi.ReadReply));
        Assert.Equal("db:z", RespTestClient.Text(popped[0]));
        Assert.Equal(["d 4", "c 3"], Assert.IsType<object?[]>(popped[1]).Select(member => string.Join(' ', Texts(member))));
        await BlockedClientsAsync(0);
        Assert.Equal(["b", "2"], Texts(await same.CallAsync("ZRANGE", "db:z", "0", "-1", "WITHSCORES")));
        Assert.Equal(1L, await elsewhere.CallAsync("ZCARD", "db:z"));
    }

    [Fact]
    public async Task SwapDb_ServesTheClientsBlockedOnAKeyTheSwapBroughtIn()
    {
        using var admin = await ConnectInAsync(1);
        using var list = await ConnectInAsync(9);
        using var zset = await ConnectInAsync(9);
        Assert.Equal(1L, await admin.CallAsync("RPUSH", "db:swap", "hello"));
        Assert.Equal(1L, await admin.CallAsync("ZADD", "db:swapz", "7", "member"));
        await list.SendAsync("BRPOP", "db:swap", "30");
        await zset.SendAsync("BZPOPMAX", "db:swapz", "30");
        await BlockedClientsAsync(2);

        Assert.Equal("OK", await admin.CallAsync("SWAPDB", "1", "9"));
        Assert.Equal(["db:swap", "hello"], Texts(await Task.Run(list.ReadReply)));
        Assert.Equal(["db:swapz", "member", "7"], Texts(await Task.Run(zset.ReadReply)));
        await BlockedClientsAsync(0);
        // The clients stayed in database 9: what they took was the data the swap brought there.
        Assert.Equal(0L, await list.CallAsync("EXISTS", "db:swap", "db:swapz"));
        Assert.Equal(0L, await admin.CallAsync("EXISTS", "db:swap", "db:swapz"));
    }

    [Fact]
    public async Task MoveIntoTheDatabase_ServesABlockedClientThere()
    {
        using var waiter = await ConnectInAsync(9);
        using var mover = await ConnectInAsync(0);
        await waiter.SendAsync("BLPOP", "db:moved", "0");
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await mover.CallAsync("RPUSH", "db:moved", "carried"));
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await mover.CallAsync("MOVE", "db:moved", "9"));
        Assert.Equal(["db:moved", "carried"], Texts(await Task.Run(waiter.ReadReply)));
        await BlockedClientsAsync(0);
        Assert.Equal(0L, await waiter.CallAsync("EXISTS", "db:moved"));
    }

    [Fact]
    public async Task ListAndSortedSetWaiters_OnOneKeyName_InTwoDatabases_AreEachServedByTheirOwnType()
    {
        using var zsetIn9 = await ConnectInAsync(9);
        using var listIn9 = await ConnectInAsync(9);
        using var zsetIn10 = await ConnectInAsync(10);
        using var writer9 = await ConnectInAsync(9);
        using var writer10 = await ConnectInAsync(10);
        await zsetIn9.SendAsync("BZPOPMIN", "db:mixed", "0"); // first in line on the key in database 9
        await BlockedClientsAsync(1);
        await listIn9.SendAsync("BLPOP", "db:mixed", "0");
        await BlockedClientsAsync(2);
        await zsetIn10.SendAsync("BZPOPMIN", "db:mixed", "0");
        await BlockedClientsAsync(3);

        // A list in database 9 passes over the sorted-set waiter ahead of it and serves the list waiter.
        Assert.Equal(1L, await writer9.CallAsync("RPUSH", "db:mixed", "l"));
        Assert.Equal(["db:mixed", "l"], Texts(await Task.Run(listIn9.ReadReply)));
        await BlockedClientsAsync(2);

        // A sorted set in database 10 serves the waiter there only.
        Assert.Equal(1L, await writer10.CallAsync("ZADD", "db:mixed", "10", "ten"));
        Assert.Equal(["db:mixed", "ten", "10"], Texts(await Task.Run(zsetIn10.ReadReply)));
        await BlockedClientsAsync(1);

        Assert.Equal(1L, await writer9.CallAsync("ZADD", "db:mixed", "9", "nine"));
        Assert.Equal(["db:mixed", "nine", "9"], Texts(await Task.Run(zsetIn9.ReadReply)));
        await BlockedClientsAsync(0);
    }

    [Fact]
    public async Task ASortedSetPop_EndsByClientUnblock_AndAMultiExecServesItOnceWithTheLastState()
    {
        using var waiter = await ConnectInAsync(9);
        using var admin = await ConnectInAsync(9);
        var id = ((long)(await waiter.CallAsync("CLIENT", "ID"))!).ToString();
        await waiter.SendAsync("BZPOPMAX", "db:unblock", "0");
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await admin.CallAsync("CLIENT", "UNBLOCK", id, "ERROR"));
        Assert.Equal("UNBLOCKED client unblocked via CLIENT UNBLOCK", Assert.IsType<RespError>(await Task.Run(waiter.ReadReply)).Message);
        await BlockedClientsAsync(0);

        // Served after EXEC, from what the whole transaction left (as Redis: MULTI/EXEC is isolated from the waiter).
        await waiter.SendAsync("BZPOPMAX", "db:unblock", "0");
        await BlockedClientsAsync(1);
        Assert.Equal("OK", await admin.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await admin.CallAsync("ZADD", "db:unblock", "1", "a"));
        Assert.Equal("QUEUED", await admin.CallAsync("ZADD", "db:unblock", "3", "c"));
        Assert.Equal("QUEUED", await admin.CallAsync("ZREM", "db:unblock", "c"));
        Assert.Equal("QUEUED", await admin.CallAsync("ZADD", "db:unblock", "2", "b"));
        Assert.Equal(new object?[] { 1L, 1L, 1L, 1L }, Assert.IsType<object?[]>(await admin.CallAsync("EXEC")));
        Assert.Equal(["db:unblock", "b", "2"], Texts(await Task.Run(waiter.ReadReply)));
        await BlockedClientsAsync(0);
    }

    [Fact]
    public async Task AServedReply_HasTheShapesOfTheBlockedConnectionsProtocol()
    {
        using var waiter = await ConnectInAsync(9);
        using var writer = await ConnectInAsync(9);
        Assert.IsType<RespMap>(await waiter.CallAsync("HELLO", "3"));
        Assert.Equal(2L, await writer.CallAsync("ZADD", "db:resp3", "1.5", "a", "2.5", "b"));
        var immediate = Assert.IsType<object?[]>(await waiter.CallAsync("BZPOPMIN", "db:resp3", "0"));

        Assert.Equal(1L, await writer.CallAsync("ZREM", "db:resp3", "b"));
        await waiter.SendAsync("BZPOPMIN", "db:resp3", "0");
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await writer.CallAsync("ZADD", "db:resp3", "1.5", "a"));
        var served = Assert.IsType<object?[]>(await Task.Run(waiter.ReadReply));
        // Written away from the connection, the served reply still has what a RESP3 client gets at once (e.g. a double score).
        Assert.Equal(immediate, served);
    }
}
