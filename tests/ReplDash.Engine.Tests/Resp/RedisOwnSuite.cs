using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Redis 7.0.15's own test suite (tcl), through <c>scripts/redis-suite.sh</c>: the same fetch (Debian's source package,
/// cached outside the repository) and the same unmodified harness and flags as <c>bench/redis-compat.sh</c>.
/// </summary>
internal static class RedisOwnSuite
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "scripts", "redis-suite.sh");

    /// <summary>Fetches the suite unless it is cached already; returns the script's exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> FetchAsync() =>
        NodeTool.RunAsync(RepositoryPaths.Root, "bash", [Script, "fetch"], TimeSpan.FromMinutes(10));

    /// <summary>
    /// Runs the suite's file <paramref name="unit"/> (<c>unit/type/incr</c>, ...) against 127.0.0.1:<paramref name="port"/>.
    /// The script stops the harness after <paramref name="timeout"/> (exit code 124, <see cref="RedisSuiteRun.TimedOut"/>).
    /// </summary>
    public static async Task<RedisSuiteRun> RunAsync(int port, string unit, TimeSpan timeout)
    {
        var (exitCode, output) = await NodeTool.RunAsync(RepositoryPaths.Root, "env",
            [$"REDIS_SUITE_TIMEOUT={(int)timeout.TotalSeconds}", "bash", Script, "run", port.ToString(), unit],
            // The script's own bound fires first (and says so); this one only guards against the script itself hanging.
            timeout + TimeSpan.FromMinutes(1));
        return new RedisSuiteRun(exitCode, output);
    }
}

/// <summary>One file's run of Redis's test suite, read from the harness's own output lines.</summary>
/// <param name="ExitCode">The harness's exit status: 0 when every test passed.</param>
/// <param name="Output">Everything the harness printed.</param>
internal sealed record RedisSuiteRun(int ExitCode, string Output)
{
    /// <summary>The tests the harness reported as <c>[ok]</c>.</summary>
    public IReadOnlyList<string> Passed => LinesStartingWith("[ok]: ");

    /// <summary>The harness's <c>[err]</c>, <c>[exception]</c> and <c>[TIMEOUT]</c> lines: failed tests and a harness that died.</summary>
    public IReadOnlyList<string> Failed => [.. LinesStartingWith("[err]: "), .. LinesStartingWith("[exception]: "), .. LinesStartingWith("[TIMEOUT]: ")];

    /// <summary>True when the script's time bound stopped the harness (coreutils <c>timeout</c>'s status 124).</summary>
    public bool TimedOut => ExitCode == 124;

    private List<string> LinesStartingWith(string prefix) =>
        [.. Output.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line.TrimEnd('\r'))];
}
