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
            var (installed, installOutput) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(installed == 0, $"npm ci in {Folder} failed ({installed}):\n{installOutput}");
        }
        var cluster = new ClusterConfig { SemiSync = false };
        await using var app = await cluster.StartAsync("m1", cluster.MasterResp);

        var (exitCode, output) = await RunAsync("node", ["blocking-pop.mjs", cluster.MasterResp.ToString(), "io:queue"], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains("served [\"io:queue\",\"from-ioredis\"] pushed_length=1", output);
        using var check = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal(0L, await check.CallAsync("EXISTS", "io:queue"));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{fileName}' is not installed ({e.Message}); scripts/test.sh installs nodejs and npm.", e);
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
