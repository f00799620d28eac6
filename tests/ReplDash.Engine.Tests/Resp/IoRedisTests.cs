using System.Diagnostics;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// ioredis (npm), the usual Node.js client, against the cluster: <c>tests/ioredis/pubsub-check.mjs</c> publishes on the
/// master and subscribes on a slave in RESP2 and in RESP3 (ioredis's default, HELLO 3 on connect), reads RESP3 maps, and
/// reads ROLE (the packages: <see cref="IoRedisScripts"/>).
/// </summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class IoRedisTests(Resp3ClusterFixture fixture)
{
    [Fact]
    public async Task IoRedis_PubSubAcrossMasterAndSlave_Resp3AndRole()
    {
        var (exitCode, output) = await IoRedisScripts.RunAsync("pubsub-check.mjs",
            [fixture.Cluster.MasterResp.ToString(), fixture.Cluster.Slave1Resp.ToString()], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok resp2 publish on master reaches subscriber on slave", output);
        Assert.Contains("ok resp3 publish on master reaches subscriber on slave", output);
        Assert.Contains("ok resp3 replies as maps and sets with replyMapping resp3", output);
        Assert.Contains("ok role on master and slave", output);
    }
}
