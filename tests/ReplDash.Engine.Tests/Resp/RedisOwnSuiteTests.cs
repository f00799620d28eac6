using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// A short run of Redis 7.0.15's own test suite against a fresh m1 (started for this class): files that ReplDash passes
/// in full, run unmodified in external-server mode with bench/redis-compat.sh's flags (which runs eleven files, next to
/// redis-server). Every test in them must pass, the harness must finish within its bound, and m1 must still be serving
/// afterwards. The harness flushes the server before each file, so the files share the one m1 (a start costs more
/// than the four files' tests). The suite is fetched once through Debian's source packages and cached outside the
/// repository (needs tcl and the network on first use; scripts/test.sh installs tcl).
/// </summary>
public sealed class RedisOwnSuiteTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    // Bounds the harness: these files take from under a second to about 8 s each on this machine.
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("unit/type/incr")]
    [InlineData("unit/protocol")]
    [InlineData("unit/info-command")]
    [InlineData("unit/expire")]
    public async Task EveryTestOfTheFile_PassesAgainstM1(string unit)
    {
        var (fetchExit, fetchOutput) = await RedisOwnSuite.FetchAsync();
        Assert.True(fetchExit == 0, $"fetching Redis's test suite failed ({fetchExit}):\n{fetchOutput}");
        var m1 = fixture.App;

        var run = await RedisOwnSuite.RunAsync(m1.RespPort, unit, FileTimeout);

        Assert.False(m1.HasExited, $"m1 exited during {unit}:\n{m1.Output}");
        Assert.False(run.TimedOut, $"{unit} did not finish within {FileTimeout}:\n{run.Output}");
        Assert.True(run.Failed.Count == 0, $"{unit}: {run.Failed.Count} failed, {run.Passed.Count} passed:\n"
            + string.Join('\n', run.Failed) + "\n\n" + run.Output);
        Assert.True(run.Passed.Count > 0, $"{unit}: no test reported [ok]:\n{run.Output}");
        Assert.True(run.ExitCode == 0, $"{unit}: the harness exited with {run.ExitCode}:\n{run.Output}");
        using var client = await RespTestClient.ConnectAsync(m1.RespPort);
        Assert.Equal("PONG", await client.CallAsync("PING"));
    }
}
