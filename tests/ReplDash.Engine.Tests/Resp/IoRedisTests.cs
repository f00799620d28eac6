using System.Diagnostics;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// ioredis (npm), the usual Node.js client, against the cluster: <c>tests/ioredis/pubsub-check.mjs</c> publishes on the
/// master and subscribes on a slave in RESP2 and in RESP3 (ioredis's default, HELLO 3 on connect), reads RESP3 maps, and
/// reads ROLE. Its packages are installed on first use (<c>npm ci</c> from the committed lock file).
/// </summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class IoRedisTests(Resp3ClusterFixture fixture)
{
    private static readonly string Directory = Path.Combine(RepositoryPaths.Root, "tests", "ioredis");

    [Fact]
    public async Task IoRedis_PubSubAcrossMasterAndSlave_Resp3AndRole()
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", "ioredis", "package.json")))
        {
            var (installed, installOutput) = await NodeTool.RunAsync(Directory, "npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(installed == 0, $"npm ci in {Directory} failed ({installed}):\n{installOutput}");
        }

        var (exitCode, output) = await NodeTool.RunAsync(Directory, "node",
            ["pubsub-check.mjs", fixture.Cluster.MasterResp.ToString(), fixture.Cluster.Slave1Resp.ToString()], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok resp2 publish on master reaches subscriber on slave", output);
        Assert.Contains("ok resp3 publish on master reaches subscriber on slave", output);
        Assert.Contains("ok resp3 replies as maps and sets with replyMapping resp3", output);
        Assert.Contains("ok role on master and slave", output);
    }
}
