using System.Net;
using ReplDash.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// StackExchange.Redis 3.4.35 with what the engine lacked before: Role(), pub/sub with its own subscription connection
/// (a message published through the master reaches a subscriber connected to a slave), and RESP3
/// (ConfigurationOptions.Protocol = RedisProtocol.Resp3).
/// </summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class StackExchangeRedisResp3Tests(Resp3ClusterFixture fixture, ITestOutputHelper output)
{
    private ClusterConfig Cluster => fixture.Cluster;

    private async Task<ConnectionMultiplexer> ConnectAsync(RedisProtocol protocol, StringWriter log, params int[] ports)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            SyncTimeout = 15_000,
            AsyncTimeout = 15_000,
            Protocol = protocol,
        };
        foreach (int port in ports)
            options.EndPoints.Add(IPAddress.Loopback, port);
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options, log);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
    }

    [Fact]
    public async Task Role_ReportsTheMasterWithItsReplicas_AndTheSlaveWithItsMaster()
    {
        var log = new StringWriter();
        await using var redis = await ConnectAsync(RedisProtocol.Resp2, log, Cluster.MasterResp, Cluster.Slave1Resp);

        var masterRole = Assert.IsType<Role.Master>(await redis.GetServer(IPAddress.Loopback, Cluster.MasterResp).RoleAsync());
        Assert.Equal(new[] { Cluster.Slave1Resp, Cluster.Slave2Resp }.Order(), masterRole.Replicas.Select(r => r.Port).Order());
        var replicaRole = Assert.IsType<Role.Replica>(await redis.GetServer(IPAddress.Loopback, Cluster.Slave1Resp).RoleAsync());
        Assert.Equal(Cluster.MasterResp, replicaRole.MasterPort);
        Assert.Equal("connected", replicaRole.State);
    }

    [Fact]
    public async Task PublishThroughTheMaster_IsReceivedByASubscriberConnectedToASlave()
    {
        var publisherLog = new StringWriter();
        var subscriberLog = new StringWriter();
        await using var publisher = await ConnectAsync(RedisProtocol.Resp2, publisherLog, Cluster.MasterResp);
        await using var subscriber = await ConnectAsync(RedisProtocol.Resp2, subscriberLog, Cluster.Slave2Resp);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await subscriber.GetSubscriber().SubscribeAsync(RedisChannel.Literal("se:events"), (_, message) => received.TrySetResult(message!));

        await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("se:events"), "from the master");

        Assert.Equal("from the master", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Resp3_ReadsWritesHashesSetsAndPubSubOverOneConnection()
    {
        var log = new StringWriter();
        await using var redis = await ConnectAsync(RedisProtocol.Resp3, log, Cluster.MasterResp);
        var db = redis.GetDatabase();
        Assert.Equal(RedisProtocol.Resp3, redis.GetServer(IPAddress.Loopback, Cluster.MasterResp).Protocol);

        await db.ExecuteAsync("DEL", "se3:h", "se3:s"); // KeyDelete sends UNLINK, served by another part of issue 14
        await db.HashSetAsync("se3:h", "f", "v");
        await db.SetAddAsync("se3:s", "m");
        Assert.True(await db.StringSetAsync("se3:k", "v"));

        Assert.Equal("v", (string?)await db.StringGetAsync("se3:k"));
        Assert.True((await db.StringGetAsync("se3:missing")).IsNull);
        Assert.Equal([("f", "v")], (await db.HashGetAllAsync("se3:h")).Select(e => ((string)e.Name!, (string)e.Value!)));
        Assert.Equal(["m"], (await db.SetMembersAsync("se3:s")).Select(m => (string)m!));

        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("se3:ch"), (_, message) => received.TrySetResult(message!));
        Assert.Equal(1, await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("se3:ch"), "resp3 push"));
        Assert.Equal("resp3 push", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("v", (string?)await db.StringGetAsync("se3:k")); // the same connection still answers commands
    }
}
