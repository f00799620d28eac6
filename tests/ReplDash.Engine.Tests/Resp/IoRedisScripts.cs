using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// The ioredis (npm) scripts in <c>tests/ioredis</c>: one folder, one package.json and lock file, shared by every test
/// that drives ioredis. Its packages are installed once (<c>npm ci</c> from the committed lock file) by whichever test
/// needs them first; the other tests wait for that install instead of racing it in the same folder.
/// </summary>
internal static class IoRedisScripts
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>The folder holding the scripts, package.json and package-lock.json.</summary>
    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "ioredis");

    /// <summary>
    /// Runs <c>node <paramref name="script"/> <paramref name="arguments"/></c> in <see cref="Folder"/> (installing the
    /// packages first if they are missing); returns its exit code and output. Killed after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await EnsureInstalledAsync();
        return await NodeTool.RunAsync(Folder, "node", [script, .. arguments], timeout);
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Folder, "node_modules", "ioredis", "package.json")))
                return;
            var (exitCode, output) = await NodeTool.RunAsync(Folder, "npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"npm ci in {Folder} failed ({exitCode}):\n{output}");
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
