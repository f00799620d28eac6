using System.Net.Http.Json;
using System.Text.Json;

namespace ReplDash.Testing;

/// <summary>Waits, with a deadline, for nodes to reach the same data; reads digests and counters.</summary>
public static class Convergence
{
    /// <summary>The node's DEBUG DIGEST.</summary>
    public static async Task<string> DigestAsync(int respPort)
    {
        using var client = await RespTestClient.ConnectAsync(respPort);
        return RespTestClient.Text(await client.CallAsync("DEBUG", "DIGEST"))!;
    }

    /// <summary>A key's value as text (null when missing).</summary>
    public static async Task<string?> GetAsync(int respPort, string key)
    {
        using var client = await RespTestClient.ConnectAsync(respPort);
        return RespTestClient.Text(await client.CallAsync("GET", key));
    }

    /// <summary>
    /// Waits until the slave has applied everything the master has (applied position equal to the master's
    /// binlog end, both read from INFO replication), then returns both digests.
    /// </summary>
    public static async Task<(string Master, string Slave)> CaughtUpDigestsAsync(int masterPort, int slavePort, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var master = await InfoAsync(masterPort, "replication");
            var slave = await InfoAsync(slavePort, "replication");
            if (master.GetValueOrDefault("binlog_position") is { } end && slave.GetValueOrDefault("applied_position") == end)
            {
                // Check the master did not move while the slave caught up.
                var masterDigest = await DigestAsync(masterPort);
                var slaveDigest = await DigestAsync(slavePort);
                var masterAfter = await InfoAsync(masterPort, "replication");
                if (masterAfter.GetValueOrDefault("binlog_position") == end)
                    return (masterDigest, slaveDigest);
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"slave on {slavePort} did not catch up: master {Describe(master)}; slave {Describe(slave)}");
            await Task.Delay(50);
        }
    }

    /// <summary>INFO section as a dictionary.</summary>
    public static async Task<Dictionary<string, string>> InfoAsync(int respPort, string section)
    {
        using var client = await RespTestClient.ConnectAsync(respPort);
        var text = RespTestClient.Text(await client.CallAsync("INFO", section)) ?? "";
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#') && line.Contains(':'))
            .Select(line => line.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>Polls GET /api/events until an event of <paramref name="kind"/> appears (deadline), returning all events' text.</summary>
    public static Task<string> WaitForEventAsync(Uri baseAddress, string kind, TimeSpan timeout, string? nodeId = null) =>
        WaitForEventAsync(baseAddress, kind, timeout, nodeId, messageContains: null);

    /// <summary>
    /// Polls GET /api/events until an event of <paramref name="kind"/> whose message contains
    /// <paramref name="messageContains"/> appears (deadline); returns the events' text.
    /// </summary>
    public static async Task<string> WaitForEventAsync(Uri baseAddress, string kind, TimeSpan timeout, string? nodeId, string? messageContains)
    {
        using var http = TestCredentials.Client(baseAddress);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var query = nodeId is null ? $"api/events?kind={kind}&take=50" : $"api/events?kind={kind}&nodeId={nodeId}&take=50";
            var json = await http.GetFromJsonAsync<JsonElement>(query);
            if (json.GetProperty("events").EnumerateArray().Any(e =>
                    messageContains is null || (e.GetProperty("message").GetString() ?? "").Contains(messageContains, StringComparison.Ordinal)))
                return json.ToString();
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no '{kind}' event within {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>Arms a fault through the REST API.</summary>
    public static async Task ArmFaultAsync(Uri baseAddress, string node, string point, int count = 1, int delayMs = 0)
    {
        using var http = TestCredentials.Client(baseAddress);
        var response = await http.PostAsJsonAsync("api/faults", new { node, point, count, delayMs });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"arming {point} on {node} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Disarms every fault of the process at <paramref name="baseAddress"/> through the REST API.</summary>
    public static async Task ClearFaultsAsync(Uri baseAddress)
    {
        using var http = TestCredentials.Client(baseAddress);
        (await http.DeleteAsync("api/faults")).EnsureSuccessStatusCode();
    }

    private static string Describe(Dictionary<string, string> info) =>
        string.Join(", ", info.Where(kv => kv.Key.Contains("position") || kv.Key.Contains("offset") || kv.Key.Contains("link")).Select(kv => $"{kv.Key}={kv.Value}"));
}
