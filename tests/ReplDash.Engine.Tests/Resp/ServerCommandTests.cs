using System.Diagnostics;
using System.Globalization;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Connection and server commands over real TCP: ROLE, TIME, LASTSAVE, CLIENT ID/INFO/SETINFO/KILL/NO-EVICT, RESET,
/// INFO memory and cpu (and redis-cli --stat), CONFIG of encoding thresholds and RESETSTAT, MONITOR, and the errors for
/// CLUSTER and scripting.
/// </summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class ServerCommandTests(Resp3ClusterFixture fixture)
{
    private ClusterConfig Cluster => fixture.Cluster;

    [Fact]
    public async Task Role_OnTheMaster_ListsBothSlavesByTheirClientPorts_AndOnASlave_NamesItsMaster()
    {
        using var master = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var slave = await RespTestClient.ConnectAsync(Cluster.Slave1Resp);
        await master.CallAsync("SET", "role:k", "v");
        await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave1Resp, TimeSpan.FromSeconds(60));

        var role = Assert.IsType<object?[]>(await master.CallAsync("ROLE"));
        Assert.Equal("master", RespTestClient.Text(role[0]));
        long offset = Assert.IsType<long>(role[1]);
        Assert.True(offset > 0);
        var slaves = Assert.IsType<object?[]>(role[2]).Cast<object?[]>().ToList();
        Assert.Equal(new[] { Cluster.Slave1Resp, Cluster.Slave2Resp }.Order(),
            slaves.Select(s => int.Parse(RespTestClient.Text(s[1])!, CultureInfo.InvariantCulture)).Order());
        Assert.All(slaves, s => Assert.Equal("127.0.0.1", RespTestClient.Text(s[0])));

        var slaveRole = Assert.IsType<object?[]>(await slave.CallAsync("ROLE"));
        Assert.Equal("slave", RespTestClient.Text(slaveRole[0]));
        Assert.Equal("127.0.0.1", RespTestClient.Text(slaveRole[1]));
        Assert.Equal((long)Cluster.MasterResp, slaveRole[2]);
        Assert.Equal("connected", RespTestClient.Text(slaveRole[3]));
        Assert.True(Assert.IsType<long>(slaveRole[4]) > 0);
    }

    [Fact]
    public async Task Time_AndLastSave_AreUnixTimesNearNow()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var time = Assert.IsType<object?[]>(await client.CallAsync("TIME"));
        long seconds = long.Parse(RespTestClient.Text(time[0])!, CultureInfo.InvariantCulture);
        long micros = long.Parse(RespTestClient.Text(time[1])!, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, now - 5, now + 5);
        Assert.InRange(micros, 0, 999_999);
        long lastSave = Assert.IsType<long>(await client.CallAsync("LASTSAVE"));
        Assert.InRange(lastSave, now - 3600, now + 5);
    }

    [Fact]
    public async Task ClientKill_ById_ByAddr_AndTheOldForm_CloseTheNamedConnectionOnly()
    {
        using var killer = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var byId = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var byAddr = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var oldForm = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        long id = Assert.IsType<long>(await byId.CallAsync("CLIENT", "ID"));
        string addr = Field(Assert.IsType<byte[]>(await byAddr.CallAsync("CLIENT", "INFO")), "addr");
        string oldAddr = Field(Assert.IsType<byte[]>(await oldForm.CallAsync("CLIENT", "INFO")), "addr");

        Assert.Equal(1L, await killer.CallAsync("CLIENT", "KILL", "ID", id.ToString()));
        Assert.Equal(1L, await killer.CallAsync("CLIENT", "KILL", "ADDR", addr));
        Assert.Equal("OK", await killer.CallAsync("CLIENT", "KILL", oldAddr));
        Assert.Equal(new RespError("ERR No such client"), await killer.CallAsync("CLIENT", "KILL", "127.0.0.1:1"));
        Assert.Equal(0L, await killer.CallAsync("CLIENT", "KILL", "ID", "999999999"));
        Assert.Equal(new RespError("ERR client-id should be greater than 0"), await killer.CallAsync("CLIENT", "KILL", "ID", "x"));

        Assert.True(byId.IsClosedByServer());
        Assert.True(byAddr.IsClosedByServer());
        Assert.True(oldForm.IsClosedByServer());
        Assert.Equal("PONG", await killer.CallAsync("PING"));
    }

    [Fact]
    public async Task ClientSetInfo_NoEvict_AndInfo_ShowInClientList()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);

        Assert.Equal("OK", await client.CallAsync("CLIENT", "SETINFO", "lib-name", "repldash-tests"));
        Assert.Equal("OK", await client.CallAsync("CLIENT", "SETINFO", "lib-ver", "1.2.3"));
        Assert.Equal(new RespError("ERR Unrecognized option 'color'"), await client.CallAsync("CLIENT", "SETINFO", "color", "x"));
        Assert.Equal("OK", await client.CallAsync("CLIENT", "NO-EVICT", "on"));
        long id = Assert.IsType<long>(await client.CallAsync("CLIENT", "ID"));

        string line = RespTestClient.Text(await client.CallAsync("CLIENT", "LIST", "ID", id.ToString()))!.Trim();
        Assert.Equal(id.ToString(), Field(line, "id"));
        Assert.Equal("client|list", Field(line, "cmd"));
        // qbuf: the CLIENT LIST ID n command itself, still in the query buffer as Redis counts it.
        string request = $"*4\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n$2\r\nID\r\n${id.ToString().Length}\r\n{id}\r\n";
        Assert.Equal(request.Length.ToString(), Field(line, "qbuf"));
        Assert.Equal("repldash-tests", Field(line, "lib-name"));
        Assert.Equal("1.2.3", Field(line, "lib-ver"));
        Assert.Equal("e", Field(line, "flags"));
        Assert.Equal(new RespError("ERR Unknown client type 'bogus'"), await client.CallAsync("CLIENT", "LIST", "TYPE", "bogus"));
    }

    [Fact]
    public async Task Reset_LeavesMultiSubscriptionsAndResp3_AndAnswersReset()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        await client.CallAsync("HELLO", "3");
        await client.CallAsync("CLIENT", "SETNAME", "before-reset");
        Assert.IsType<RespPush>(await client.CallAsync("SUBSCRIBE", "reset:ch"));
        Assert.Equal("OK", await client.CallAsync("MULTI"));

        Assert.Equal("RESET", await client.CallAsync("RESET"));

        Assert.Null(await client.CallAsync("GET", "reset:missing")); // RESP2 again, not subscribed, not in MULTI
        Assert.Null(await client.CallAsync("CLIENT", "GETNAME"));
        Assert.Equal(new RespError("ERR EXEC without MULTI"), await client.CallAsync("EXEC"));
        using var other = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        Assert.Equal(0L, await other.CallAsync("PUBLISH", "reset:ch", "nobody listens"));
    }

    [Fact]
    public async Task InfoMemoryAndCpu_HaveRedisFieldNames_WithTheProcessFigures()
    {
        var memory = await Convergence.InfoAsync(Cluster.MasterResp, "memory");
        var cpu = await Convergence.InfoAsync(Cluster.MasterResp, "cpu");

        long used = long.Parse(memory["used_memory"], CultureInfo.InvariantCulture);
        long rss = long.Parse(memory["used_memory_rss"], CultureInfo.InvariantCulture);
        Assert.InRange(used, 1024 * 1024, 64L * 1024 * 1024 * 1024);
        // The resident set of the app's process, as /proc/<pid>/statm says (pages are 4 KiB here).
        long statmRss = long.Parse(File.ReadAllText($"/proc/{fixture.App.ProcessId}/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        Assert.InRange(rss, statmRss / 2, statmRss * 2);
        Assert.EndsWith("M", memory["used_memory_human"]);
        Assert.Equal("noeviction", memory["maxmemory_policy"]);
        Assert.True(double.Parse(cpu["used_cpu_user"], CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(cpu["used_cpu_sys"], CultureInfo.InvariantCulture) >= 0);
        Assert.Contains("blocked_clients", (await Convergence.InfoAsync(Cluster.MasterResp, "clients")).Keys);
    }

    [Fact]
    public async Task RedisCliStat_PrintsKeysMemoryAndClients()
    {
        using (var client = await RespTestClient.ConnectAsync(Cluster.MasterResp))
            await client.CallAsync("SET", "stat:k", "v");
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-p", Cluster.MasterResp.ToString(), "--stat", "-i", "0.2"])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            // The header, its dashes, then one line per interval: keys, memory, clients, blocked, requests, connections.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (lines.Count < 4 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                lines.Add(line);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        Assert.Contains("keys", lines[1]);
        Assert.Contains("mem", lines[1]);
        var figures = lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(long.Parse(figures[0], CultureInfo.InvariantCulture) >= 1, string.Join('\n', lines));
        Assert.Matches(@"^\d+(\.\d+)?[KMG]$", figures[1]);
        Assert.True(long.Parse(figures[2], CultureInfo.InvariantCulture) >= 1, string.Join('\n', lines));
    }

    [Fact]
    public async Task ConfigSetSave_Empty_IsAcceptedAsWhatThisEngineDoes_AnySnapshotScheduleIsRefused()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        Assert.Equal(["save", ""], Texts(await client.CallAsync("CONFIG", "GET", "save")));
        Assert.Equal("OK", await client.CallAsync("CONFIG", "SET", "save", ""));
        var refused = Assert.IsType<RespError>(await client.CallAsync("CONFIG", "SET", "save", "3600 1"));
        Assert.StartsWith("ERR CONFIG SET failed (possibly related to argument 'save')", refused.Message);
        Assert.Equal(["save", ""], Texts(await client.CallAsync("CONFIG", "GET", "save")));
        Assert.Equal(["databases", "16"], Texts(await client.CallAsync("CONFIG", "GET", "databases"))); // ReplDash:Databases' default
    }

    [Fact]
    public async Task ConfigSet_EncodingThresholds_AreAcceptedReportedAndChecked_AliasesIncluded()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);

        Assert.Equal("OK", await client.CallAsync("CONFIG", "SET", "hash-max-ziplist-entries", "0", "zset-max-listpack-value", "32"));

        Assert.Equal(["hash-max-listpack-entries", "0"], Texts(await client.CallAsync("CONFIG", "GET", "hash-max-listpack-entries")));
        Assert.Equal(["hash-max-ziplist-entries", "0"], Texts(await client.CallAsync("CONFIG", "GET", "hash-max-ziplist-entries")));
        Assert.Equal(["zset-max-listpack-value", "32"], Texts(await client.CallAsync("CONFIG", "GET", "zset-max-listpack-value")));
        Assert.Equal(["set-max-intset-entries", "512"], Texts(await client.CallAsync("CONFIG", "GET", "set-max-intset-entries")));
        Assert.Equal(new RespError("ERR CONFIG SET failed (possibly related to argument 'list-compress-depth') - argument couldn't be parsed into an integer"),
            await client.CallAsync("CONFIG", "SET", "list-compress-depth", "deep"));
        Assert.Equal("OK", await client.CallAsync("CONFIG", "SET", "hash-max-listpack-entries", "128"));
    }

    [Fact]
    public async Task ConfigResetStat_StartsTheCommandCountAgain()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.Slave2Resp);
        for (int i = 0; i < 20; i++)
            await client.CallAsync("GET", "resetstat:k");

        Assert.Equal("OK", await client.CallAsync("CONFIG", "RESETSTAT"));

        var stats = await Convergence.InfoAsync(Cluster.Slave2Resp, "stats");
        Assert.InRange(long.Parse(stats["total_commands_processed"], CultureInfo.InvariantCulture), 0, 5);
    }

    [Fact]
    public async Task Monitor_StreamsOtherClientsCommands_InRedisFormat_WithAuthRedacted()
    {
        using var monitor = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        string addr = Field(Assert.IsType<byte[]>(await client.CallAsync("CLIENT", "INFO")), "addr");
        Assert.Equal("OK", await monitor.CallAsync("MONITOR"));

        await client.CallAsync("set", "mon:k", "a \"quoted\"\nvalue");
        await client.CallAsync("AUTH", "secret-password");

        var set = Assert.IsType<string>(monitor.ReadReply());
        Assert.Matches(@"^\d+\.\d{6} \[0 " + System.Text.RegularExpressions.Regex.Escape(addr) + @"\] ""set"" ""mon:k"" ""a \\""quoted\\""\\nvalue""$", set);
        var auth = Assert.IsType<string>(monitor.ReadReply());
        Assert.EndsWith(@"""AUTH"" ""(redacted)""", auth);
        Assert.DoesNotContain("secret-password", auth);
    }

    [Fact]
    public async Task Cluster_Scripting_AndFunctionFlush_AnswerAsDocumented()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);

        Assert.Equal(new RespError("ERR This instance has cluster support disabled"), await client.CallAsync("CLUSTER", "INFO"));
        Assert.Equal("OK", await client.CallAsync("FUNCTION", "FLUSH"));
        Assert.Equal("OK", await client.CallAsync("FUNCTION", "FLUSH", "SYNC"));
        foreach (var command in new[] { new[] { "EVAL", "return 1", "0" }, ["EVALSHA", "abc", "0"], ["SCRIPT", "LOAD", "return 1"], ["FUNCTION", "LOAD", "x"] })
        {
            var error = Assert.IsType<RespError>(await client.CallAsync(command));
            Assert.StartsWith("ERR scripting is not supported", error.Message);
        }
    }

    [Fact]
    public async Task ClientReply_OffSkipAndOn_SilenceRepliesAsRedisDoes()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);

        await client.SendAsync("CLIENT", "REPLY", "OFF");
        await client.SendAsync("PING", "silenced");
        Assert.Equal("OK", await client.CallAsync("CLIENT", "REPLY", "ON"));
        await client.SendAsync("CLIENT", "REPLY", "SKIP");
        await client.SendAsync("PING", "skipped");

        Assert.Equal("shown", RespTestClient.Text(await client.CallAsync("PING", "shown")));
    }

    [Fact]
    public async Task InfoCommandStats_CountsCallsPerCommand_AndIsNotADefaultSection()
    {
        using var client = await RespTestClient.ConnectAsync(Cluster.Slave2Resp);
        await client.CallAsync("CONFIG", "RESETSTAT");
        await client.CallAsync("GET", "cmdstat:k");
        await client.CallAsync("GET", "cmdstat:k");
        await client.CallAsync("GET"); // wrong arity: rejected

        var stats = await Convergence.InfoAsync(Cluster.Slave2Resp, "commandstats");
        Assert.StartsWith("calls=2,usec=", stats["cmdstat_get"]);
        Assert.Contains("rejected_calls=1", stats["cmdstat_get"]);
        Assert.Contains("cmdstat_config|resetstat", stats.Keys);
        Assert.DoesNotContain("cmdstat_get", (await Convergence.InfoAsync(Cluster.Slave2Resp, "default")).Keys);
        Assert.Contains("cmdstat_get", (await Convergence.InfoAsync(Cluster.Slave2Resp, "everything")).Keys);
    }

    private static string[] Texts(object? reply) => Assert.IsType<object?[]>(reply).Select(r => RespTestClient.Text(r)!).ToArray();

    private static string Field(byte[] line, string name) => Field(System.Text.Encoding.UTF8.GetString(line), name);

    private static string Field(string line, string name) =>
        line.Trim().Split(' ').Select(f => f.Split('=', 2)).First(f => f[0] == name)[1];
}
