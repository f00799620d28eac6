using System.Diagnostics;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// Debian's real <c>redis-benchmark</c> writing SETs to a node in a loop until disposed (then killed and
/// awaited): load that a test starts and always stops.
/// </summary>
public sealed class BenchmarkLoad : IAsyncDisposable
{
    private readonly Process _process;

    private BenchmarkLoad(Process process) => _process = process;

    /// <summary>Starts looping SETs of 64-byte values over 10,000 keys on <paramref name="port"/>.</summary>
    public static BenchmarkLoad Start(int port)
    {
        var start = new ProcessStartInfo("redis-benchmark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", port.ToString(), "-t", "set", "-l", "-q", "-c", "2", "-P", "4", "-r", "10000", "-d", "64" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start redis-benchmark (apt-get install redis-tools)");
        // Drain its output so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BenchmarkLoad(process);
    }

    /// <summary>True while it runs (a benchmark that exited early failed to connect or was refused).</summary>
    public bool IsRunning => !_process.HasExited;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
