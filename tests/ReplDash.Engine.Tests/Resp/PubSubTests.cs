using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Pub/sub over real TCP, in RESP2 (arrays, the subscribed connection's command rule) and RESP3 (pushes next to
/// replies), and across replication: a message published on the master reaches subscribers on both slaves, after the
/// writes made before it.
/// </summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class PubSubTests(Resp3ClusterFixture fixture)
{
    private ClusterConfig Cluster => fixture.Cluster;

    [Fact]
    public async Task Resp2_SubscribePublishAndPatterns_DeliverMessagesAsArrays()
    {
        using var subscriber = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var publisher = await RespTestClient.ConnectAsync(Cluster.MasterResp);

        Assert.Equal(Items("subscribe", "ps:a", 1L), Flat(await subscriber.CallAsync("SUBSCRIBE", "ps:a")));
        Assert.Equal(Items("psubscribe", "ps:*", 2L), Flat(await subscriber.CallAsync("PSUBSCRIBE", "ps:*")));

        Assert.Equal(2L, await publisher.CallAsync("PUBLISH", "ps:a", "hello"));
        Assert.Equal(Items("message", "ps:a", "hello"), Flat(subscriber.ReadReply()));
        Assert.Equal(Items("pmessage", "ps:*", "ps:a", "hello"), Flat(subscriber.ReadReply()));
        Assert.Equal(1L, await publisher.CallAsync("PUBLISH", "ps:b", "only the pattern"));
        Assert.Equal(Items("pmessage", "ps:*", "ps:b", "only the pattern"), Flat(subscriber.ReadReply()));
        Assert.Equal(0L, await publisher.CallAsync("PUBLISH", "other", "nobody"));
    }

    [Fact]
    public async Task Resp2_SubscribedConnection_RefusesOtherCommands_WithRedisText_AndPingAnswersAnArray()
    {
        using var subscriber = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        await subscriber.CallAsync("SUBSCRIBE", "ps:rule");

        Assert.Equal(new RespError("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
            await subscriber.CallAsync("GET", "x"));
        Assert.Equal(Items("pong", ""), Flat(await subscriber.CallAsync("PING")));
        Assert.Equal(Items("pong", "hi"), Flat(await subscriber.CallAsync("PING", "hi")));

        Assert.Equal(Items("unsubscribe", "ps:rule", 0L), Flat(await subscriber.CallAsync("UNSUBSCRIBE")));
        Assert.Equal(Items("unsubscribe", null, 0L), Flat(await subscriber.CallAsync("UNSUBSCRIBE")));
        Assert.Equal("PONG", await subscriber.CallAsync("PING")); // no longer subscribed: any command again
    }

    [Fact]
    public async Task PubSubIntrospection_CountsThisNodesSubscribers()
    {
        using var a = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var b = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var asker = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        await a.CallAsync("SUBSCRIBE", "intro:x");
        await b.CallAsync("SUBSCRIBE", "intro:x");
        await b.CallAsync("PSUBSCRIBE", "intro:p*");

        Assert.Equal(["intro:x"], Texts(await asker.CallAsync("PUBSUB", "CHANNELS", "intro:*")));
        Assert.Equal(["intro:x", "2", "intro:none", "0"], Texts(await asker.CallAsync("PUBSUB", "NUMSUB", "intro:x", "intro:none")));
        Assert.True(Assert.IsType<long>(await asker.CallAsync("PUBSUB", "NUMPAT")) >= 1);
    }

    [Fact]
    public async Task Resp3_MessagesArriveAsPushes_AndTheConnectionKeepsRunningCommands()
    {
        using var subscriber = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var publisher = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        await subscriber.CallAsync("HELLO", "3");

        var confirmation = Assert.IsType<RespPush>(await subscriber.CallAsync("SUBSCRIBE", "r3:news"));
        Assert.Equal(Items("subscribe", "r3:news", 1L), Flat(confirmation.Items));
        Assert.Same(Resp3Null.Instance, await subscriber.CallAsync("GET", "r3:not-there")); // allowed in RESP3
        Assert.Equal(1L, await publisher.CallAsync("PUBLISH", "r3:news", "pushed"));

        var message = Assert.IsType<RespPush>(subscriber.ReadReply());
        Assert.Equal(Items("message", "r3:news", "pushed"), Flat(message.Items));
    }

    [Fact]
    public async Task PublishOnTheMaster_ReachesSubscribersOnBothSlaves_AfterTheWritesBeforeIt()
    {
        using var onS1 = await RespTestClient.ConnectAsync(Cluster.Slave1Resp);
        using var onS2 = await RespTestClient.ConnectAsync(Cluster.Slave2Resp);
        using var reader = await RespTestClient.ConnectAsync(Cluster.Slave1Resp);
        using var master = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        await onS1.CallAsync("SUBSCRIBE", "repl:events");
        await onS2.CallAsync("HELLO", "3");
        await onS2.CallAsync("PSUBSCRIBE", "repl:*");

        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal("OK", await master.CallAsync("SET", "repl:value", $"v{i}"));
            // The reply counts the master's own subscribers; the slaves' get it through the binlog.
            Assert.Equal(0L, await master.CallAsync("PUBLISH", "repl:events", $"changed to v{i}"));

            Assert.Equal(Items("message", "repl:events", $"changed to v{i}"), Flat(onS1.ReadReply()));
            // The SET before the PUBLISH is applied on the slave before the message is delivered there.
            Assert.Equal($"v{i}", RespTestClient.Text(await reader.CallAsync("GET", "repl:value")));
            var pushed = Assert.IsType<RespPush>(onS2.ReadReply());
            Assert.Equal(Items("pmessage", "repl:*", "repl:events", $"changed to v{i}"), Flat(pushed.Items));
        }
        // Publish items keep the slaves' positions and data in step with the master's.
        var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave1Resp, TimeSpan.FromSeconds(60));
        Assert.Equal(masterDigest, slaveDigest);
    }

    [Fact]
    public async Task PublishOnASlave_StaysOnThatSlave()
    {
        using var onS1 = await RespTestClient.ConnectAsync(Cluster.Slave1Resp);
        using var onMaster = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var publisher = await RespTestClient.ConnectAsync(Cluster.Slave1Resp);
        await onS1.CallAsync("SUBSCRIBE", "local:ch");
        await onMaster.CallAsync("SUBSCRIBE", "local:ch");

        Assert.Equal(1L, await publisher.CallAsync("PUBLISH", "local:ch", "from s1"));

        Assert.Equal(Items("message", "local:ch", "from s1"), Flat(onS1.ReadReply()));
        // The master's subscriber gets nothing: a PING sent after it is the next thing it reads.
        Assert.Equal(Items("pong", ""), Flat(await onMaster.CallAsync("PING")));
    }

    [Fact]
    public async Task PublishItems_InTheMastersBinlog_ChangeNoData_AndTheBinlogStillReadsBack()
    {
        using var master = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        string digestBefore = await Convergence.DigestAsync(Cluster.MasterResp);

        await master.CallAsync("PUBLISH", "binlog:ch", "logged for the slaves");
        await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave2Resp, TimeSpan.FromSeconds(60));

        var binlogDir = Path.Combine(fixture.App.DataDir, "m1", "binlog");
        var numbers = BinlogDirectory.ListSegmentNumbers(binlogDir);
        var end = new BinlogPosition(numbers[^1], new FileInfo(BinlogDirectory.SegmentPath(binlogDir, numbers[^1])).Length);
        var items = new BinlogReader(binlogDir).Read(new BinlogPosition(numbers[0], 0), end).Select(e => e.Item).ToList();
        var publish = items.Last(i => i.Type == BinlogItemType.Publish);
        Assert.Equal(["PUBLISH", "binlog:ch", "logged for the slaves"], publish.Commands[0].Select(a => System.Text.Encoding.UTF8.GetString(a)));
        Assert.Equal(digestBefore, await Convergence.DigestAsync(Cluster.MasterResp));
    }

    [Fact]
    public async Task ConsistencyCheck_WhilePublishItemsInterleaveWithWrites_CompletesWithoutFindings()
    {
        using var master = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        using var http = TestCredentials.Client(fixture.App.BaseAddress);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal("OK", await master.CallAsync("SET", $"check:{i}", $"v{i}"));
            await master.CallAsync("PUBLISH", "check:events", $"set {i}");
        }

        var started = await http.PostAsync("api/checks", null);
        string body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == System.Net.HttpStatusCode.Accepted, body);
        long id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
        // Publishing goes on while the check's markers travel through the same binlog.
        for (int i = 0; i < 20; i++)
            await master.CallAsync("PUBLISH", "check:events", $"during {i}");
        System.Text.Json.JsonElement run = default;
        await Poll.UntilAsync(async () =>
        {
            run = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"api/checks/{id}")).RootElement.Clone();
            return run.GetProperty("status").GetString() != "running";
        }, $"check {id} to finish", TimeSpan.FromSeconds(120));

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("findings").GetArrayLength());
    }

    private static object?[] Items(params object?[] items) => items;

    /// <summary>A reply's elements with bulk strings as text, to compare with <see cref="Items"/>.</summary>
    private static object?[] Flat(object? reply) => (reply switch
    {
        RespPush push => push.Items,
        object?[] array => array,
        _ => throw new Xunit.Sdk.XunitException($"not an array: {reply}"),
    }).Select(i => i is byte[] ? RespTestClient.Text(i) : i).ToArray();

    private static string[] Texts(object? reply) => Assert.IsType<object?[]>(reply).Select(r => RespTestClient.Text(r)!).ToArray();
}
