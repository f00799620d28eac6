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

    /// <summary>
    /// Starts looping SETs of 64-byte values over 10,000 keys on <paramref name="port"/>, or <paramref name="command"/>
    /// (redis-benchmark's own command form, <c>__rand_int__</c> drawn from the same 10,000) when given.
    /// </summary>
    public static BenchmarkLoad Start(int port, params string[] command)
    {
        var start = new ProcessStartInfo("redis-benchmark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] test = command.Length == 0 ? ["-t", "set"] : [];
        string[] args = ["-p", port.ToString(), .. test, "-l", "-q", "-c", "2", "-P", "4", "-r", "10000", "-d", "64", .. command];
        foreach (var arg in args)
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
