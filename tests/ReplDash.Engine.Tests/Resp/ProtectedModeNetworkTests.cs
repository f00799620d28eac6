using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Protected mode against a real client from another address: the app listens on this machine's end of a veth pair
/// (and nowhere else), and Debian's redis-cli runs inside a network namespace on the other end, so the node sees a
/// non-loopback peer. Without a password the client gets Redis's DENIED error; with one it is served after AUTH.
/// </summary>
public class ProtectedModeNetworkTests
{
    private const string NodePassword = "protected-mode-Passw0rd-net";

    [Fact(Timeout = 180_000)]
    public async Task AClientFromAnotherAddress_IsDenied_WhenTheNodeHasNoPassword()
    {
        await using var link = await VethNamespace.CreateAsync();
        await using var app = await StartOnAsync(link.HostAddress, password: null);

        var (_, stdout, stderr) = await link.RunAsync("redis-cli", "-h", link.HostAddress, "-p", app.RespPort.ToString(), "PING");
        Assert.Contains("DENIED Redis is running in protected mode", stdout + stderr);
        Assert.DoesNotContain("PONG", stdout);
    }

    [Fact(Timeout = 180_000)]
    public async Task AClientFromAnotherAddress_IsServedAfterAuth_WhenTheNodeHasAPassword()
    {
        await using var link = await VethNamespace.CreateAsync();
        await using var app = await StartOnAsync(link.HostAddress, NodePassword);
        string port = app.RespPort.ToString();

        // Not denied: before AUTH the node answers PING and asks for AUTH for anything else.
        Assert.Equal("PONG", await RunInNamespaceAsync(link, "redis-cli", "-h", link.HostAddress, "-p", port, "PING"));
        var (_, refusedOut, refusedErr) = await link.RunAsync("redis-cli", "-h", link.HostAddress, "-p", port, "GET", "k");
        Assert.Contains("NOAUTH Authentication required.", refusedOut + refusedErr);

        string[] authenticated = ["redis-cli", "-h", link.HostAddress, "-p", port, "-a", NodePassword, "--no-auth-warning"];
        Assert.Equal("PONG", await RunInNamespaceAsync(link, [.. authenticated, "PING"]));
        Assert.Equal("OK", await RunInNamespaceAsync(link, [.. authenticated, "SET", "k", "from-the-namespace"]));
        Assert.Equal("from-the-namespace", await RunInNamespaceAsync(link, [.. authenticated, "GET", "k"]));
        // The node saw the namespace's address, not loopback: the test really is about a non-loopback client.
        Assert.Contains($"addr={link.ClientAddress}:", await RunInNamespaceAsync(link, [.. authenticated, "CLIENT", "INFO"]));

        await app.StopAsync();
        Assert.DoesNotContain(NodePassword, app.Output);
    }

    // One node, listening only on this machine's end of the link. Its replication listener is there too, which the
    // validator allows only with a secret other than the shipped one.
    private static Task<ReplDashProcess> StartOnAsync(string address, string? password)
    {
        var settings = new Dictionary<string, string>
        {
            ["ReplDash__BindAddress"] = address,
            ["ReplDash__Replication__Secret"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        };
        if (password is not null)
            settings["ReplDash__Nodes__0__Password"] = password;
        return PortCollisionRetry.RunAsync(() => ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("protected-mode-net"), settings));
    }

    private static async Task<string> RunInNamespaceAsync(VethNamespace link, params string[] command)
    {
        var (exit, stdout, stderr) = await link.RunAsync(command);
        Assert.True(exit == 0, $"{string.Join(' ', command.Where(c => c != NodePassword))} exited {exit}: {stderr}");
        return stdout.TrimEnd('\n');
    }
}
