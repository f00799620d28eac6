using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Upgrade;

/// <summary>
/// An upgrade never loses data: the data directory that the previous release wrote (tests/fixtures/upgrade-2026-12-07,
/// see its README) opens in this build with every key on every node, every event and every metric sample.
/// </summary>
public sealed class UpgradeFromPreviousReleaseTests
{
    private const string FixtureDigest = "ba7570539e17744359890f884fbd359de7a41fe6";
    private const int FixtureKeys = 211;

    [Fact(Timeout = 180_000)]
    public async Task DataDirectoryOfThePreviousRelease_OpensWithEveryKeyEventAndSample()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("upgrade");
        CopyDirectory(Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "upgrade-2026-12-07", "data"), dataDir);
        var dashboardDb = Path.Combine(dataDir, "dashboard.db");
        var oldEvents = await ReadEventsAsync(dashboardDb);
        var oldSampleTimes = await MoveSamplesIntoRetentionAsync(dashboardDb);
        Assert.Equal(19, oldEvents.Count);
        Assert.Equal(54, oldSampleTimes.Count);

        var cluster = new ClusterConfig();
        await using var app = await cluster.StartAsync("m1,s1,s2", cluster.MasterResp, dataDir);
        foreach (var port in new[] { cluster.MasterResp, cluster.Slave1Resp, cluster.Slave2Resp })
        {
            await Eventually.TrueAsync(async () => await SafeDigestAsync(port) == FixtureDigest, $"the fixture's digest on port {port}",
                TimeSpan.FromSeconds(60));
            Assert.Equal(FixtureKeys.ToString(), await RedisCli.RunAsync(port, "DBSIZE"));
            Assert.Equal("hello world", await RedisCli.RunAsync(port, "GET", "str:plain"));
            Assert.Equal("42", await RedisCli.RunAsync(port, "GET", "counter"));
            Assert.Equal("ada", await RedisCli.RunAsync(port, "HGET", "hash:user", "name"));
            Assert.Equal("a\nb\nc\nd", await RedisCli.RunAsync(port, "LRANGE", "list:q", "0", "-1"));
            Assert.Equal("value-200", await RedisCli.RunAsync(port, "GET", "bulk:200"));
            Assert.True(long.Parse(await RedisCli.RunAsync(port, "TTL", "str:ttl")) > 0, "str:ttl lost its expiry");
        }

        using var http = TestCredentials.Client(app.BaseAddress);
        var events = await http.GetFromJsonAsync<EventsResponse>("api/events?take=1000");
        foreach (var (id, kind, message) in oldEvents)
            Assert.Contains(events!.Events, e => e.Id == id && e.Kind == kind && e.Message == message);

        var samples = await http.GetFromJsonAsync<MetricHistoryResponse>("api/nodes/m1/metrics?range=hour");
        var oldM1 = oldSampleTimes.Where(s => s.NodeId == "m1").Select(s => s.TimeUnixMs).ToHashSet();
        Assert.NotEmpty(oldM1);
        Assert.Superset(oldM1, samples!.Samples.Select(s => s.Time.ToUnixTimeMilliseconds()).ToHashSet());

        // The upgraded cluster keeps working: a new write is replicated and acknowledged.
        Assert.Equal("OK", await RedisCli.RunAsync(cluster.MasterResp, "SET", "after:upgrade", "yes"));
        Assert.Equal("2", await RedisCli.RunAsync(cluster.MasterResp, "WAIT", "2", "10000"));
        Assert.Equal("yes", await RedisCli.RunAsync(cluster.Slave2Resp, "GET", "after:upgrade"));

        await app.StopAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<string?> SafeDigestAsync(int port)
    {
        try
        {
            return await Convergence.DigestAsync(port);
        }
        catch (InvalidOperationException)
        {
            return null; // still starting
        }
    }

    private static async Task<List<(long Id, string Kind, string Message)>> ReadEventsAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Kind, Message FROM Events";
        var events = new List<(long, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return events;
    }

    /// <summary>
    /// Shifts the fixture's samples so that the newest is two minutes old. Retention is about age, not format: without
    /// the shift the new build would rightly prune samples that are older than a day by the time the test runs.
    /// Returns every sample's node and (shifted) time.
    /// </summary>
    private static async Task<List<(string NodeId, long TimeUnixMs)>> MoveSamplesIntoRetentionAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        var newest = connection.CreateCommand();
        newest.CommandText = "SELECT MAX(TimeUnixMs) FROM MetricSamples";
        long shift = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds() - (long)(await newest.ExecuteScalarAsync())!;
        var update = connection.CreateCommand();
        update.CommandText = "UPDATE MetricSamples SET TimeUnixMs = TimeUnixMs + $shift";
        update.Parameters.AddWithValue("$shift", shift);
        await update.ExecuteNonQueryAsync();

        var read = connection.CreateCommand();
        read.CommandText = "SELECT NodeId, TimeUnixMs FROM MetricSamples WHERE ResolutionSeconds = 1";
        var samples = new List<(string, long)>();
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            samples.Add((reader.GetString(0), reader.GetInt64(1)));
        return samples;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
