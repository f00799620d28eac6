using System.Diagnostics;
using System.Globalization;
using ReplDash.Testing;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Hub;

/// <summary>
/// The documented example <c>examples/hub-client/hub-client.mjs</c> run with Node: the real JavaScript
/// SignalR client (npm <c>@microsoft/signalr</c>) against the real app. Its npm packages are installed on
/// first use (<c>npm ci</c> from the committed lock file) and reused afterwards.
/// </summary>
public sealed class NodeHubClient : IAsyncDisposable
{
    /// <summary>The example's folder.</summary>
    public static readonly string Directory = Path.Combine(RepositoryPaths.Root, "examples", "hub-client");

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private NodeHubClient(Process process) => _process = process;

    /// <summary>Every line the script printed so far (stdout and stderr).</summary>
    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    /// <summary>Installs the example's packages unless already there; safe to call from tests running in parallel.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Directory, "node_modules", "@microsoft", "signalr", "package.json")))
            {
                return;
            }

            var (exitCode, output) = await RunToEndAsync("npm", "ci --no-audit --no-fund", TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"npm ci in {Directory} failed ({exitCode}):\n{output}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Starts the script against <paramref name="app"/>'s hub and waits until it printed <c>connected</c>.</summary>
    public static async Task<NodeHubClient> StartAsync(ReplDashProcess app, params string[] options)
    {
        await EnsureInstalledAsync();
        var start = NodeStartInfo("node", ["hub-client.mjs", new Uri(app.BaseAddress, "hubs/cluster").ToString(), .. options]);
        start.Environment["REPLDASH_API_KEY"] = TestCredentials.OperatorApiKey;
        var client = new NodeHubClient(new Process { StartInfo = start });
        client._process.OutputDataReceived += (_, e) => client.Append(e.Data);
        client._process.ErrorDataReceived += (_, e) => client.Append(e.Data);
        client._process.Start();
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        await Eventually.TrueAsync(() => Task.FromResult(client.Lines.Any(l => l.StartsWith("connected", StringComparison.Ordinal)) || client._process.HasExited),
            "the hub client to connect");
        Assert.False(client._process.HasExited, "hub client exited before connecting:\n" + string.Join('\n', client.Lines));
        return client;
    }

    /// <summary>Runs the script with <paramref name="apiKey"/> in REPLDASH_API_KEY (empty: none) until it exits by itself; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(ReplDashProcess app, string apiKey, TimeSpan timeout)
    {
        await EnsureInstalledAsync();
        var start = NodeStartInfo("node", ["hub-client.mjs", new Uri(app.BaseAddress, "hubs/cluster").ToString(), "--seconds", "5"]);
        start.Environment["REPLDASH_API_KEY"] = apiKey;
        var client = new NodeHubClient(new Process { StartInfo = start });
        client._process.OutputDataReceived += (_, e) => client.Append(e.Data);
        client._process.ErrorDataReceived += (_, e) => client.Append(e.Data);
        client._process.Start();
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        await using (client)
        {
            int exitCode = await client.WaitForExitAsync(timeout);
            client._process.WaitForExit(); // the last lines of output
            return (exitCode, string.Join('\n', client.Lines));
        }
    }

    /// <summary>Waits for the script to end by itself (its --seconds) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>The <c>summary</c> line's fields (<c>min_rate</c>, <c>snapshots</c>...), once the script ended.</summary>
    public IReadOnlyDictionary<string, double> Summary()
    {
        var line = Lines.LastOrDefault(l => l.StartsWith("summary ", StringComparison.Ordinal));
        Assert.True(line is not null, "no summary line:\n" + string.Join('\n', Lines));
        return line["summary ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Ends the script if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_lines) _lines.Add(line);
        }
    }

    private static ProcessStartInfo NodeStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string fileName, string arguments, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = NodeStartInfo(fileName, arguments.Split(' ')) };
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
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
