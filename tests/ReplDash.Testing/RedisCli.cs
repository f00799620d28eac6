using System.Diagnostics;

namespace ReplDash.Testing;

/// <summary>Runs Debian's real redis-cli / redis-benchmark against a port.</summary>
public static class RedisCli
{
    /// <summary>Runs <c>redis-cli -p port args...</c> and returns its standard output, trimmed.</summary>
    public static async Task<string> RunAsync(int port, params string[] args)
    {
        var (exit, stdout, stderr) = await RunToolAsync("redis-cli", ["-p", port.ToString(), .. args]);
        if (exit != 0)
            throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout.TrimEnd('\n');
    }

    /// <summary>Runs a tool with arguments; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunToolAsync(string tool, IEnumerable<string> args,
        string? standardInput = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
