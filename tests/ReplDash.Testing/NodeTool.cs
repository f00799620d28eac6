using System.Diagnostics;

namespace ReplDash.Testing;

/// <summary>
/// Runs node or npm (the JavaScript client tests: ioredis, the SignalR example), or another tool such as a script of
/// ours (Redis's own test suite through scripts/redis-suite.sh), and collects what it printed.
/// </summary>
public static class NodeTool
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="directory"/>; returns its exit
    /// code and stdout followed by stderr. Killed (with its children) after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, string fileName, IEnumerable<string> arguments,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
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
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
