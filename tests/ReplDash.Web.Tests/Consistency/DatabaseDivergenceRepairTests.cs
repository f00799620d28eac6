using System.Globalization;
using System.Net;
using System.Text.Json;
using CsvHelper;
using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// Divergence in numbered database 3 (DEBUG SET-LOCAL / DEL-LOCAL after SELECT 3 on s1) is found with its database,
/// shown with it in every report form, repaired in that database through the binlog, and re-checked clean, with equal
/// digests; the same key names in database 0 stay as they were. With the repair writing every key in database 0 (the
/// bug this guards), the re-check still finds database 3's keys, and the test fails (checked by hand).
/// </summary>
public class DatabaseDivergenceRepairTests
{
    [Fact]
    public async Task DivergenceInDatabase3_IsFoundWithItsDatabase_AndRepairedThere()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = { ["ReplDash__Faults__Enabled"] = "true" } }, "m1,s1", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);

        long expireAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            // The same names in database 0 and 3: a repair in the wrong database would change database 0's.
            Assert.Equal("OK", await master.CallAsync("SET", "k", "zero"));
            Assert.Equal("OK", await master.CallAsync("SET", "gone", "zero"));
            Assert.Equal("OK", await master.CallAsync("SELECT", "3"));
            Assert.Equal("OK", await master.CallAsync("SET", "k", "three"));
            Assert.Equal("OK", await master.CallAsync("SET", "gone", "three"));
            Assert.Equal(2L, await master.CallAsync("HSET", "h", "f1", "1", "f2", "2"));
            Assert.Equal("OK", await master.CallAsync("SET", "ttl", "v"));
            Assert.Equal(1L, await master.CallAsync("PEXPIREAT", "ttl", expireAt.ToString(CultureInfo.InvariantCulture)));
        }
        var (converged, _) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, ChecksApi.Deadline);

        using (var s1 = await RespTestClient.ConnectAsync(cluster.Slave1Resp))
        {
            Assert.Equal("OK", await s1.CallAsync("SELECT", "3"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "k", "changed"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "h", "not-a-hash"));
            Assert.Equal(1L, await s1.CallAsync("DEBUG", "DEL-LOCAL", "gone"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "only-on-s1", "extra"));
            Assert.Equal(1L, await s1.CallAsync("DEBUG", "PEXPIREAT-LOCAL", "ttl", (expireAt + 60_000).ToString(CultureInfo.InvariantCulture)));
            // DEBUG ...-LOCAL respects SELECT: database 3 changed, database 0 did not.
            Assert.Equal("changed", RespTestClient.Text(await s1.CallAsync("GET", "k")));
            Assert.Equal("OK", await s1.CallAsync("SELECT", "0"));
            Assert.Equal("zero", RespTestClient.Text(await s1.CallAsync("GET", "k")));
            Assert.Equal("zero", RespTestClient.Text(await s1.CallAsync("GET", "gone")));
        }
        Assert.NotEqual(converged, await Convergence.DigestAsync(cluster.Slave1Resp));

        long runId = await ChecksApi.StartAsync(http, "s1");
        var run = await ChecksApi.WaitDoneAsync(http, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(
            new List<(int, string, string)>
            {
                (3, "gone", "MissingOnSlave"),
                (3, "h", "Type|Value"),
                (3, "k", "Value"),
                (3, "only-on-s1", "MissingOnMaster"),
                (3, "ttl", "Ttl"),
            },
            FindingsWithDatabase(run));

        // Every report form names the database.
        var json = JsonDocument.Parse(await http.GetStringAsync($"api/checks/{runId}/report?format=json")).RootElement;
        Assert.All(json.GetProperty("findings").EnumerateArray(), f => Assert.Equal(3, f.GetProperty("database").GetInt32()));
        using (var reader = CsvReader.Create(new StringReader(await http.GetStringAsync($"api/checks/{runId}/report?format=csv")), null, false))
            Assert.All(reader.GetRecords<CsvFinding>().ToList(), r => Assert.Equal(3, r.Database));
        var html = await http.GetStringAsync($"api/checks/{runId}/report?format=html");
        Assert.Contains("<th style=\"width:5%\">DB</th>", html);
        Assert.Contains("<td>s1</td><td>3</td><td>only-on-s1</td>", html);

        var repair = await http.PostAsync($"api/checks/{runId}/repair", null);
        string repairBody = await repair.Content.ReadAsStringAsync();
        Assert.True(repair.StatusCode == HttpStatusCode.Accepted, repairBody);
        long recheckId = JsonDocument.Parse(repairBody).RootElement.GetProperty("recheckId").GetInt64();
        var recheck = await ChecksApi.WaitDoneAsync(http, recheckId);
        Assert.Equal("completed", recheck.GetProperty("status").GetString());
        Assert.Empty(FindingsWithDatabase(recheck));
        var (masterDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, ChecksApi.Deadline);
        Assert.Equal(masterDigest, slaveDigest);
        Assert.Equal(converged, slaveDigest); // the master's data did not change either

        using (var s1 = await RespTestClient.ConnectAsync(cluster.Slave1Resp))
        {
            Assert.Equal("zero", RespTestClient.Text(await s1.CallAsync("GET", "k")));
            Assert.Equal("OK", await s1.CallAsync("SELECT", "3"));
            Assert.Equal("three", RespTestClient.Text(await s1.CallAsync("GET", "k")));
            Assert.Equal("three", RespTestClient.Text(await s1.CallAsync("GET", "gone")));
            Assert.Equal(0L, await s1.CallAsync("EXISTS", "only-on-s1"));
            Assert.Equal(expireAt, await s1.CallAsync("PEXPIRETIME", "ttl"));
        }
    }

    private static List<(int Database, string Key, string Difference)> FindingsWithDatabase(JsonElement shown) =>
        shown.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("database").GetInt32(), f.GetProperty("key").GetString()!,
                string.Join("|", f.GetProperty("difference").EnumerateArray().Select(d => d.GetString()))))
            .OrderBy(f => f.Item1).ThenBy(f => f.Item2, StringComparer.Ordinal).ToList();
}
