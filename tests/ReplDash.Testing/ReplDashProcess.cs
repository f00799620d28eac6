using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ReplDash.Testing;

/// <summary>
/// The real ReplDash.Web binary running as a child process, as a newcomer would run it, with its own data
/// folder and free ports. Tests can stop it gracefully (SIGTERM) or kill it (SIGKILL) and start it again.
/// </summary>
public sealed class ReplDashProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ReplDashProcess(Process process, string dataDir, int httpPort, int respPort, IReadOnlyDictionary<string, string>? settings)
    {
        _process = process;
        Settings = settings;
        DataDir = dataDir;
        HttpPort = httpPort;
        RespPort = respPort;
    }

    public string DataDir { get; }

    /// <summary>The configuration overrides it was started with (reused by a restart).</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; }
    public int HttpPort { get; }
    public int RespPort { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The dashboard's base address.</summary>
    public Uri BaseAddress => new($"{(UsesTls("Http") ? "https" : "http")}://{Host}:{HttpPort}/");

    /// <summary>The address its listeners bind to: <c>ReplDash__BindAddress</c> in its settings, loopback otherwise.</summary>
    public string Host =>
        Settings?.TryGetValue("ReplDash__BindAddress", out var address) == true && address is not ("0.0.0.0" or "::") ? address : "127.0.0.1";

    // ReplDash__Tls__Http / __Resp set to true in this process's settings.
    private bool UsesTls(string listener) =>
        Settings?.TryGetValue($"ReplDash__Tls__{listener}", out var on) == true && bool.TryParse(on, out bool yes) && yes;

    /// <summary>
    /// Starts the app with node m1 on <paramref name="respPort"/> (free ports when null) and waits until both
    /// the RESP port answers PING and /healthz answers. <paramref name="settings"/> are configuration keys in
    /// environment form (<c>ReplDash__Durability__SyncBinlog</c> = "0").
    /// </summary>
    public static async Task<ReplDashProcess> StartAsync(string dataDir, IReadOnlyDictionary<string, string>? settings = null,
        int? httpPort = null, int? respPort = null, int? readyPort = null)
    {
        int http = httpPort ?? FreePort.Next();
        int resp = respPort ?? FreePort.Next();
        var start = new ProcessStartInfo(RepositoryPaths.AppExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["ReplDash__DataDir"] = dataDir;
        start.Environment["ReplDash__Http__Port"] = http.ToString();
        start.Environment["ReplDash__Nodes__0__Id"] = "m1";
        start.Environment["ReplDash__Nodes__0__Role"] = "master";
        start.Environment["ReplDash__Nodes__0__RespPort"] = resp.ToString();
        // Only the master, unless the test configures a cluster itself: the default slaves' fixed ports
        // would collide between tests running in parallel.
        start.Environment["ReplDash__Node"] = "m1";
        start.Environment["ReplDash__Nodes__0__ReplicationPort"] = FreePort.Next().ToString();
        // A lone master: nobody would acknowledge its writes (tests of semi-sync configure slaves and turn it on).
        start.Environment["ReplDash__SemiSync__Enabled"] = "false";
        start.Environment["DOTNET_gcServer"] = "0";
        // Known credentials: tests sign in as admin or send its Operator key (TestCredentials.Client).
        foreach (var (key, value) in TestCredentials.EnvironmentSettings)
            start.Environment[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var app = new ReplDashProcess(process, dataDir, http, readyPort ?? resp, settings);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"Could not start {RepositoryPaths.AppExecutable}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilServingAsync();
        return app;
    }

    /// <summary>Starts the same app again on the same data folder, ports and settings (unless others are given).</summary>
    public Task<ReplDashProcess> RestartAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(DataDir, settings ?? Settings, HttpPort, RespPort, RespPort);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        // Readiness only: a TLS listener's certificate is the test's own business, checked by the test itself.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
            { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"ReplDash exited with code {_process.ExitCode} while starting:\n{Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"ReplDash did not start within {StartTimeout}:\n{Output}");
            try
            {
                using var client = UsesTls("Resp") ? await RespTestClient.ConnectTlsAsync(RespPort) : await RespTestClient.ConnectAsync(RespPort, host: Host);
                // NOAUTH also proves the node is serving (a password is configured), and so does DENIED (protected
                // mode refusing this probe, which comes from a non-loopback address when the app listens on one).
                var ping = await client.CallAsync("PING");
                if ((ping is "PONG" || ping is RespError { Message: var m }
                        && (m.StartsWith("NOAUTH", StringComparison.Ordinal) || m.StartsWith("DENIED", StringComparison.Ordinal)))
                    && (await http.GetAsync(new Uri(BaseAddress, "healthz"))).IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException or HttpRequestException or TaskCanceledException
                                          or System.Security.Authentication.AuthenticationException)
            {
                // Not listening yet: the next attempt decides.
            }
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no chance to flush, sync or say goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself (a crash fault), with a deadline.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>SIGTERM, then wait for a graceful exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
            return;
        _ = SendSignal(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
