using System.Diagnostics;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// ioredis (npm), a widely used Node client, against m1: <c>tests/ioredis/blocking-pop.mjs</c> blocks in BLPOP
/// on one connection and is served by an LPUSH on another (the packages: <see cref="IoRedisScripts"/>).
/// </summary>
public class BlockingPopIoRedisTests
{
    [Fact]
    public async Task IoRedis_BLPop_IsServedByAnLPushOnAnotherConnection()
    {
        var cluster = new ClusterConfig { SemiSync = false };
        await using var app = await cluster.StartAsync("m1", cluster.MasterResp);

        var (exitCode, output) = await IoRedisScripts.RunAsync("blocking-pop.mjs", [cluster.MasterResp.ToString(), "io:queue"], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains("served [\"io:queue\",\"from-ioredis\"] pushed_length=1", output);
        using var check = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal(0L, await check.CallAsync("EXISTS", "io:queue"));
    }
}
