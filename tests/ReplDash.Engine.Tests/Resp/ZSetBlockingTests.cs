using System.Diagnostics;
using System.Text;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// BZPOPMIN and BZPOPMAX over real TCP: a blocked client is served by a ZADD from another connection, in
/// arrival order, a timeout answers a null array, MULTI never blocks, and a client that leaves takes nothing.
/// </summary>
public class ZSetBlockingTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private int Port => fixture.App.RespPort;

    private async Task WaitForBlockedAsync(int count) =>
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(Port, "clients"))["blocked_clients"] == count.ToString(),
            $"{count} blocked clients", describe: async () => (await Convergence.InfoAsync(Port, "clients"))["blocked_clients"]);

    private static string[] Texts(object? reply) => Assert.IsType<object?[]>(reply).Select(r => RespTestClient.Text(r)!).ToArray();

    [Fact]
    public async Task BlockedPop_IsServedByAZAddFromAnotherConnection()
    {
        using var blocked = await RespTestClient.ConnectAsync(Port);
        using var writer = await RespTestClient.ConnectAsync(Port);
        await blocked.SendAsync("BZPOPMIN", "bz:a", "bz:b", "0");
        await WaitForBlockedAsync(1);

        Assert.Equal(2L, await writer.CallAsync("ZADD", "bz:b", "2", "two", "1", "one"));
        Assert.Equal(["bz:b", "one", "1"], Texts(blocked.ReadReply()));
        await WaitForBlockedAsync(0);
        Assert.Equal(1L, await writer.CallAsync("ZCARD", "bz:b"));
        // The connection goes on serving after the blocking command.
        Assert.Equal("PONG", await blocked.CallAsync("PING"));
    }

    [Fact]
    public async Task TwoBlockedClients_AreServedInArrivalOrder()
    {
        using var first = await RespTestClient.ConnectAsync(Port);
        using var second = await RespTestClient.ConnectAsync(Port);
        using var writer = await RespTestClient.ConnectAsync(Port);
        await first.SendAsync("BZPOPMAX", "bz:order", "0");
        await WaitForBlockedAsync(1);
        await second.SendAsync("BZPOPMAX", "bz:order", "0");
        await WaitForBlockedAsync(2);

        Assert.Equal(1L, await writer.CallAsync("ZADD", "bz:order", "5", "only"));
        Assert.Equal(["bz:order", "only", "5"], Texts(first.ReadReply()));
        await WaitForBlockedAsync(1);
        Assert.Equal(2L, await writer.CallAsync("ZADD", "bz:order", "1", "low", "9", "high"));
        Assert.Equal(["bz:order", "high", "9"], Texts(second.ReadReply()));
        await WaitForBlockedAsync(0);
        Assert.Equal(["low", "1"], Texts(await writer.CallAsync("ZRANGE", "bz:order", "0", "-1", "WITHSCORES")));
    }

    [Fact]
    public async Task Timeout_AnswersANullArray()
    {
        using var client = await RespTestClient.ConnectAsync(Port);
        var watch = Stopwatch.StartNew();
        Assert.Null(await client.CallAsync("BZPOPMIN", "bz:none", "0.3"));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {watch.Elapsed}");
        await WaitForBlockedAsync(0);
    }

    [Fact]
    public async Task InsideMulti_ABlockingPopDoesNotBlock()
    {
        using var client = await RespTestClient.ConnectAsync(Port);
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("BZPOPMIN", "bz:multi", "0"));
        Assert.Equal("QUEUED", await client.CallAsync("ZADD", "bz:multi", "3", "m"));
        Assert.Equal("QUEUED", await client.CallAsync("BZPOPMIN", "bz:multi", "0"));
        var replies = Assert.IsType<object?[]>(await client.CallAsync("EXEC"));
        Assert.Null(replies[0]);
        Assert.Equal(1L, replies[1]);
        Assert.Equal(["bz:multi", "m", "3"], Texts(replies[2]));
    }

    [Fact]
    public async Task CommandsPipelinedBehindABlockedPop_WaitForIt()
    {
        using var client = await RespTestClient.ConnectAsync(Port);
        using var writer = await RespTestClient.ConnectAsync(Port);
        await client.SendRawAsync(Encoding.ASCII.GetBytes("*3\r\n$8\r\nBZPOPMIN\r\n$7\r\nbz:pipe\r\n$1\r\n0\r\n*2\r\n$5\r\nZCARD\r\n$7\r\nbz:pipe\r\n"));
        await WaitForBlockedAsync(1);
        Assert.Equal(2L, await writer.CallAsync("ZADD", "bz:pipe", "1", "a", "2", "b"));
        Assert.Equal(["bz:pipe", "a", "1"], Texts(client.ReadReply()));
        Assert.Equal(1L, client.ReadReply()); // ZCARD ran after the pop, not before
    }

    [Fact]
    public async Task AClientThatLeavesWhileBlocked_TakesNothing()
    {
        using (var leaving = await RespTestClient.ConnectAsync(Port))
        {
            await leaving.SendAsync("BZPOPMIN", "bz:gone", "0");
            await WaitForBlockedAsync(1);
        }
        await WaitForBlockedAsync(0);
        using var writer = await RespTestClient.ConnectAsync(Port);
        Assert.Equal(1L, await writer.CallAsync("ZADD", "bz:gone", "1", "kept"));
        Assert.Equal(1L, await writer.CallAsync("ZCARD", "bz:gone"));
    }

    [Fact]
    public async Task AKeyOfAnotherType_IsRefusedAtOnce_AndBadTimeoutsAreErrors()
    {
        using var client = await RespTestClient.ConnectAsync(Port);
        Assert.Equal("OK", await client.CallAsync("SET", "bz:string", "x"));
        Assert.Equal(new RespError("WRONGTYPE Operation against a key holding the wrong kind of value"),
            await client.CallAsync("BZPOPMIN", "bz:string", "0"));
        Assert.Equal(new RespError("ERR timeout is negative"), await client.CallAsync("BZPOPMIN", "bz:x", "-1"));
        Assert.Equal(new RespError("ERR timeout is not a float or out of range"), await client.CallAsync("BZPOPMAX", "bz:x", "soon"));
        Assert.Equal(new RespError("ERR wrong number of arguments for 'bzpopmin' command"), await client.CallAsync("BZPOPMIN", "bz:x"));
    }
}
