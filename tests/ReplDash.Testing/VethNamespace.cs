using System.Security.Cryptography;

namespace ReplDash.Testing;

/// <summary>
/// A Linux network namespace joined to this machine by a veth pair on a private /30 (10.200.x.y): a client run inside
/// it (<see cref="RunAsync"/>) reaches <see cref="HostAddress"/> from <see cref="ClientAddress"/>, a real non-loopback
/// peer, while the link stays private to this machine. Needs root and iproute2's <c>ip</c>. Names and the subnet are
/// chosen at random per instance, so tests may run in parallel; <see cref="DisposeAsync"/> removes both.
/// </summary>
public sealed class VethNamespace : IAsyncDisposable
{
    private bool _linkCreated, _namespaceCreated;

    private VethNamespace(string suffix, string hostAddress, string clientAddress)
    {
        Name = "rdns" + suffix;
        HostInterface = "rdh" + suffix;
        ClientInterface = "rdc" + suffix;
        HostAddress = hostAddress;
        ClientAddress = clientAddress;
    }

    /// <summary>The namespace's name (<c>ip netns</c>).</summary>
    public string Name { get; }

    /// <summary>This machine's end of the pair, and the namespace's (interface names are at most 15 characters).</summary>
    public string HostInterface { get; }

    /// <inheritdoc cref="HostInterface"/>
    public string ClientInterface { get; }

    /// <summary>This machine's address on the link: where a server for the namespace's clients listens.</summary>
    public string HostAddress { get; }

    /// <summary>The namespace's address on the link: where its clients come from.</summary>
    public string ClientAddress { get; }

    /// <summary>Creates the namespace and the link, both up; on any failure removes what it made and says what failed.</summary>
    public static async Task<VethNamespace> CreateAsync()
    {
        string taken = (await IpAsync("-o", "addr", "show")).Stdout;
        for (int attempt = 0; ; attempt++)
        {
            // One /30 of 10.200.0.0/16 (16384 of them): .1 for this machine, .2 for the namespace.
            int subnet = RandomNumberGenerator.GetInt32(16384);
            string prefix = $"10.200.{subnet / 64}.";
            string hostAddress = prefix + (subnet % 64 * 4 + 1), clientAddress = prefix + (subnet % 64 * 4 + 2);
            if (taken.Contains($" {hostAddress}/", StringComparison.Ordinal) || taken.Contains($" {clientAddress}/", StringComparison.Ordinal))
            {
                if (attempt == 20)
                    throw new InvalidOperationException("no free /30 in 10.200.0.0/16 for a test network namespace");
                continue;
            }
            var link = new VethNamespace(Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant(), hostAddress, clientAddress);
            try
            {
                await link.SetUpAsync();
                return link;
            }
            catch
            {
                await link.DisposeAsync();
                throw;
            }
        }
    }

    private async Task SetUpAsync()
    {
        await RequireAsync("netns", "add", Name);
        _namespaceCreated = true;
        await RequireAsync("link", "add", HostInterface, "type", "veth", "peer", "name", ClientInterface);
        _linkCreated = true;
        await RequireAsync("link", "set", ClientInterface, "netns", Name);
        await RequireAsync("addr", "add", HostAddress + "/30", "dev", HostInterface);
        await RequireAsync("link", "set", HostInterface, "up");
        await RequireAsync("netns", "exec", Name, "ip", "addr", "add", ClientAddress + "/30", "dev", ClientInterface);
        await RequireAsync("netns", "exec", Name, "ip", "link", "set", ClientInterface, "up");
        await RequireAsync("netns", "exec", Name, "ip", "link", "set", "lo", "up");
    }

    /// <summary>Runs <paramref name="command"/> inside the namespace (<c>ip netns exec</c>); returns exit code, stdout and stderr.</summary>
    public Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] command) =>
        RedisCli.RunToolAsync("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Removes the link (both ends) and the namespace, whatever of them exists; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        // Deleting one end of a veth pair deletes the other, wherever it is; so does deleting the namespace for its end.
        if (_linkCreated)
            await IpQuietlyAsync("link", "del", HostInterface);
        if (_namespaceCreated)
            await IpQuietlyAsync("netns", "del", Name);
        _linkCreated = _namespaceCreated = false;
    }

    private static async Task RequireAsync(params string[] args)
    {
        var (exit, _, stderr) = await IpAsync(args);
        if (exit != 0)
            throw new InvalidOperationException(
                $"'ip {string.Join(' ', args)}' failed ({exit}): {stderr.Trim()} (network namespaces need root and iproute2)");
    }

    private static async Task IpQuietlyAsync(params string[] args)
    {
        try
        {
            await IpAsync(args);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            // Clean-up must not hide the test's own failure; a leftover would show in `ip netns list`.
        }
    }

    private static Task<(int Exit, string Stdout, string Stderr)> IpAsync(params string[] args) => RedisCli.RunToolAsync("ip", args);
}
