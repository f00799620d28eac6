using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// BLPOP and friends over real TCP against m1 (with slaves s1 and s2, semi-sync on): a blocked client is served by a
/// push from another connection, several are served in arrival order, a timeout answers nil, a client that hangs up
/// while blocked leaves nothing behind, a slave refuses them, MULTI does not block, and what the served pops took
/// reaches both slaves (equal digests), also through a full resync.
/// </summary>
public sealed class BlockingPopTests : IAsyncLifetime
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);
    private ClusterConfig _cluster = null!;
    private ReplDashProcess? _app;

    public async Task InitializeAsync() =>
        (_cluster, _app) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1,s2", c => c.MasterResp);

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    private async Task BlockedClientsAsync(int count) =>
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(_cluster.MasterResp, "clients"))["blocked_clients"] == count.ToString(),
            $"{count} blocked client(s) on m1");

    [Fact]
    public async Task BLPop_IsServedByAPushFromAnotherConnection()
    {
        using var waiter = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        using var pusher = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        await waiter.SendAsync("BLPOP", "bp:q", "bp:other", "0");
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await pusher.CallAsync("LPUSH", "bp:q", "hello"));
        var served = (object?[])(await Task.Run(waiter.ReadReply))!;
        Assert.Equal(["bp:q", "hello"], served.Select(RespTestClient.Text));
        Assert.Equal(0L, await pusher.CallAsync("EXISTS", "bp:q"));
        await BlockedClientsAsync(0);
        // The connection keeps working after being served.
        Assert.Equal("PONG", await waiter.CallAsync("PING"));
    }

    [Fact]
    public async Task TwoBlockedClients_AreServedInArrivalOrder()
    {
        using var first = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        using var second = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        using var pusher = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        await first.SendAsync("BRPOP", "bp:order", "0");
        await BlockedClientsAsync(1);
        await second.SendAsync("BLMOVE", "bp:order", "bp:moved", "LEFT", "RIGHT", "0");
        await BlockedClientsAsync(2);

        Assert.Equal(1L, await pusher.CallAsync("RPUSH", "bp:order", "one"));
        Assert.Equal(["bp:order", "one"], ((object?[])(await Task.Run(first.ReadReply))!).Select(RespTestClient.Text));
        await BlockedClientsAsync(1); // the second still waits: one element served one client

        Assert.Equal(1L, await pusher.CallAsync("RPUSH", "bp:order", "two"));
        Assert.Equal("two", RespTestClient.Text(await Task.Run(second.ReadReply)));
        Assert.Equal(["two"], ((object?[])(await pusher.CallAsync("LRANGE", "bp:moved", "0", "-1"))!).Select(RespTestClient.Text));
        await BlockedClientsAsync(0);
    }

    [Fact]
    public async Task ATimeout_AnswersNil_AndUnblocks()
    {
        using var waiter = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        var started = DateTime.UtcNow;
        await waiter.SendAsync("BLPOP", "bp:never", "0.3");
        Assert.Null(await Task.Run(waiter.ReadReply));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(290), "answered before its timeout");
        await waiter.SendAsync("BLMPOP", "0.05", "1", "bp:never", "LEFT");
        Assert.Null(await Task.Run(waiter.ReadReply));
        await BlockedClientsAsync(0);
        // A later push is not taken by anyone.
        Assert.Equal(1L, await waiter.CallAsync("RPUSH", "bp:never", "kept"));
        Assert.Equal(1L, await waiter.CallAsync("LLEN", "bp:never"));
    }

    [Fact]
    public async Task AClientThatHangsUpWhileBlocked_LeavesNothingBehind()
    {
        var gone = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        await gone.SendAsync("BLPOP", "bp:gone", "0");
        await BlockedClientsAsync(1);
        gone.Dispose();
        await BlockedClientsAsync(0);
        using var pusher = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        Assert.Equal(1L, await pusher.CallAsync("RPUSH", "bp:gone", "kept"));
        Assert.Equal(1L, await pusher.CallAsync("LLEN", "bp:gone")); // no departed client took it
        var clients = await Convergence.InfoAsync(_cluster.MasterResp, "clients");
        Assert.Equal("0", clients["blocked_clients"]);
    }

    [Fact]
    public async Task ClientUnblock_EndsTheWaitAsATimeoutOrWithAnError()
    {
        using var waiter = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        using var admin = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        var id = ((long)(await waiter.CallAsync("CLIENT", "ID"))!).ToString();

        await waiter.SendAsync("BLPOP", "bp:unblock", "0");
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await admin.CallAsync("CLIENT", "UNBLOCK", id));
        Assert.Null(await Task.Run(waiter.ReadReply));

        await waiter.SendAsync("BLMOVE", "bp:unblock", "bp:d", "LEFT", "LEFT", "0");
        await BlockedClientsAsync(1);
        Assert.Equal(1L, await admin.CallAsync("CLIENT", "UNBLOCK", id, "ERROR"));
        Assert.Equal("UNBLOCKED client unblocked via CLIENT UNBLOCK", Assert.IsType<RespError>(await Task.Run(waiter.ReadReply)).Message);
        await BlockedClientsAsync(0);

        Assert.Equal(0L, await admin.CallAsync("CLIENT", "UNBLOCK", id)); // not blocked now
        Assert.Equal("ERR value is not an integer or out of range", Assert.IsType<RespError>(await admin.CallAsync("CLIENT", "UNBLOCK", "asd")).Message);
        Assert.Equal("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
            Assert.IsType<RespError>(await admin.CallAsync("CLIENT", "UNBLOCK", id, "LATER")).Message);
        // Unblocked clients took nothing.
        Assert.Equal(1L, await admin.CallAsync("RPUSH", "bp:unblock", "kept"));
        Assert.Equal(1L, await admin.CallAsync("LLEN", "bp:unblock"));
    }

    [Fact]
    public async Task OnASlave_TheyAreRefusedAsWrites()
    {
        using var slave = await RespTestClient.ConnectAsync(_cluster.Slave1Resp);
        foreach (var command in new[] { new[] { "BLPOP", "bp:s", "0" }, ["BRPOP", "bp:s", "0"], ["BLMOVE", "bp:s", "bp:d", "LEFT", "LEFT", "0"],
                     ["BLMPOP", "0", "1", "bp:s", "LEFT"], ["BRPOPLPUSH", "bp:s", "bp:d", "0"] })
        {
            var reply = await slave.CallAsync(command);
            Assert.Equal("READONLY You can't write against a read only replica.", Assert.IsType<RespError>(reply).Message);
        }
        Assert.Equal("0", (await Convergence.InfoAsync(_cluster.Slave1Resp, "clients"))["blocked_clients"]);
    }

    [Fact]
    public async Task InsideMulti_TheyDoNotBlock()
    {
        using var client = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("BLPOP", "bp:multi", "0"));
        Assert.Equal("QUEUED", await client.CallAsync("BLMOVE", "bp:multi", "bp:d", "LEFT", "LEFT", "0"));
        var exec = (object?[])(await client.CallAsync("EXEC"))!;
        Assert.Equal([null, null], exec);
    }

    [Fact]
    public async Task AMixedLoadOfTheNewWriteCommands_ConvergesToEqualDigestsOnBothSlaves()
    {
        using var client = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        using var waiter = await RespTestClient.ConnectAsync(_cluster.MasterResp);
        var random = new Random(14);
        for (int round = 0; round < 40; round++)
        {
            string l = $"mx:l{random.Next(3)}", l2 = $"mx:l{random.Next(3)}", h = $"mx:h{random.Next(2)}", s = $"mx:s{random.Next(3)}";
            // A pop blocked on an empty key, served by the pushes of this round.
            await waiter.SendAsync("BLMOVE", $"mx:empty{round}", l2, "RIGHT", "LEFT", "0");
            await BlockedClientsAsync(1);
            string[][] commands =
            [
                ["RPUSH", l, "a", "b", "c", "b"], ["LPUSHX", l, "x"], ["RPUSHX", l2, "y"], ["LSET", l, "0", "z"],
                ["LINSERT", l, "BEFORE", "b", "i"], ["LREM", l, "1", "b"], ["LTRIM", l, "0", "4"], ["LMOVE", l, l2, "LEFT", "RIGHT"],
                ["RPOPLPUSH", l2, l], ["LMPOP", "2", l2, l, "RIGHT", "COUNT", "2"], ["BLPOP", l, l2, "1"],
                ["HMSET", h, "f1", "1", "f2", "2"], ["HINCRBY", h, "n", "3"], ["HINCRBYFLOAT", h, "fl", "0.1"], ["HSETNX", h, $"nx{round}", "v"],
                ["SADD", s, "1", "2", "3", $"{round}"], ["SMOVE", s, "mx:s9", "2"], ["SINTERSTORE", "mx:inter", s, "mx:s9"],
                ["SUNIONSTORE", "mx:union", s, "mx:s9"], ["SDIFFSTORE", "mx:diff", s, "mx:s9"],
                ["RPUSH", $"mx:empty{round}", "served"],
            ];
            foreach (var command in commands)
                Assert.IsNotType<RespError>(await client.CallAsync(command));
            Assert.Equal("served", RespTestClient.Text(await Task.Run(waiter.ReadReply)));
        }
        foreach (var slave in new[] { _cluster.Slave1Resp, _cluster.Slave2Resp })
        {
            var (master, replica) = await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, slave, CatchUp);
            Assert.Equal(master, replica);
        }

        // A full resync carries the same data as a snapshot (the checkpoint's encoding of hashes, lists and sets).
        using var http = new HttpClient { BaseAddress = _app!.BaseAddress };
        var resync = await http.PostAsync("api/nodes/s2/resync", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, resync.StatusCode);
        await Convergence.WaitForEventAsync(_app.BaseAddress, "full-resync-end", CatchUp, "s2");
        var (afterMaster, afterResync) = await Convergence.CaughtUpDigestsAsync(_cluster.MasterResp, _cluster.Slave2Resp, CatchUp);
        Assert.Equal(afterMaster, afterResync);
        Assert.Equal("0", (await Convergence.InfoAsync(_cluster.MasterResp, "clients"))["blocked_clients"]);
    }
}
