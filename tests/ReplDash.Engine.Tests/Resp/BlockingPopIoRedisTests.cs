using System.Diagnostics;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// ioredis (npm), a widely used Node client, against m1: <c>tests/ioredis-blocking-pop/blocking-pop.mjs</c> blocks
/// in BLPOP on one connection and is served by an LPUSH on another. Its packages are installed on first use
/// (<c>npm ci</c> from the committed lock file) and reused afterwards.
/// </summary>
public class BlockingPopIoRedisTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "ioredis-blocking-pop");

    [Fact]
    public async Task IoRedis_BLPop_IsServedByAnLPushOnAnotherConnection()
    {
        if (!File.Exists(Path.Combine(Folder, "node_modules", "ioredis", "package.json")))
        {
            var (installed, installOutput) = await NodeTool.RunAsync(Folder, "npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(installed == 0, $"npm ci in {Folder} failed ({installed}):\n{installOutput}");
        }
        var cluster = new ClusterConfig { SemiSync = false };
        await using var app = await cluster.StartAsync("m1", cluster.MasterResp);

        var (exitCode, output) = await NodeTool.RunAsync(Folder, "node", ["blocking-pop.mjs", cluster.MasterResp.ToString(), "io:queue"], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains("served [\"io:queue\",\"from-ioredis\"] pushed_length=1", output);
        using var check = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal(0L, await check.CallAsync("EXISTS", "io:queue"));
    }
}
