using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using CsvHelper;
using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// Issue 13, tests 1 and 5: divergence injected on s1 behind replication's back is found exactly, repaired through the
/// binlog and re-checked clean; the reports parse.
/// </summary>
public class DivergenceCheckTests
{
    [Fact]
    public async Task InjectedDivergence_IsFoundExactly_RepairedThroughTheBinlog_AndReportedInEveryFormat()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = { ["ReplDash__Faults__Enabled"] = "true" } }, "m1,s1,s2", c => c.MasterResp);
        await using var app = started;
        using var http = TestCredentials.Client(app.BaseAddress);

        long expireAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            for (int i = 0; i < 500; i++)
                Assert.Equal("OK", await master.CallAsync("SET", $"key:{i}", $"value-{i}"));
            Assert.Equal(2L, await master.CallAsync("HSET", "hash", "f1", "1", "f2", "2"));
            Assert.Equal(1L, await master.CallAsync("PEXPIREAT", "key:7", expireAt.ToString(CultureInfo.InvariantCulture)));
        }
        foreach (int slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
        {
            var (m, s) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, ChecksApi.Deadline);
            Assert.Equal(m, s);
        }

        // Three keys changed, one deleted, one added, one TTL changed: on s1 only, behind replication's back.
        using (var s1 = await RespTestClient.ConnectAsync(cluster.Slave1Resp))
        {
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "key:1", "changed"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "key:2", "changed"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "hash", "x"));
            Assert.Equal(1L, await s1.CallAsync("DEBUG", "DEL-LOCAL", "key:3"));
            Assert.Equal("OK", await s1.CallAsync("DEBUG", "SET-LOCAL", "only-on-s1", "extra"));
            Assert.Equal(1L, await s1.CallAsync("DEBUG", "PEXPIREAT-LOCAL", "key:7", (expireAt + 60_000).ToString(CultureInfo.InvariantCulture)));
        }
        Assert.NotEqual(await Convergence.DigestAsync(cluster.MasterResp), await Convergence.DigestAsync(cluster.Slave1Resp));

        long runId = await ChecksApi.StartAsync(http, "s1", "s2");
        var run = await ChecksApi.WaitDoneAsync(http, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(
            new List<(string, string, string)>
            {
                ("s1", "hash", "Type|Value"),
                ("s1", "key:1", "Value"),
                ("s1", "key:2", "Value"),
                ("s1", "key:3", "MissingOnSlave"),
                ("s1", "key:7", "Ttl"),
                ("s1", "only-on-s1", "MissingOnMaster"),
            },
            ChecksApi.Findings(run));
        Assert.Equal(501, run.GetProperty("run").GetProperty("keysCompared").GetInt64());
        Assert.Equal(4096, run.GetProperty("run").GetProperty("bucketsDone").GetInt32());
        var nodes = run.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("node").GetString()!, n => n.GetProperty("clean").GetBoolean());
        Assert.False(nodes["s1"]);
        Assert.True(nodes["s2"]);

        await AssertReportsAsync(http, runId);

        var repair = await http.PostAsync($"api/checks/{runId}/repair", null);
        string repairBody = await repair.Content.ReadAsStringAsync();
        Assert.True(repair.StatusCode == HttpStatusCode.Accepted, repairBody);
        long recheckId = JsonDocument.Parse(repairBody).RootElement.GetProperty("recheckId").GetInt64();
        var recheck = await ChecksApi.WaitDoneAsync(http, recheckId);
        Assert.Equal("completed", recheck.GetProperty("status").GetString());
        Assert.Empty(ChecksApi.Findings(recheck));
        Assert.Equal(runId, recheck.GetProperty("run").GetProperty("repairOfRunId").GetInt64());
        Assert.Equal(recheckId, (await ChecksApi.ShowAsync(http, runId)).GetProperty("run").GetProperty("recheckRunId").GetInt64());
        foreach (int slave in new[] { cluster.Slave1Resp, cluster.Slave2Resp })
        {
            var (m, s) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, slave, ChecksApi.Deadline);
            Assert.Equal(m, s);
        }
        await Convergence.WaitForEventAsync(app.BaseAddress, "check-repair", ChecksApi.Deadline, "m1", $"Repair of check {runId}");

        // A second repair of the same run is refused clearly.
        var again = await http.PostAsync($"api/checks/{runId}/repair", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("repaired already", await again.Content.ReadAsStringAsync());
    }

    private static async Task AssertReportsAsync(HttpClient http, long runId)
    {
        // CSV: parses with CsvHelper, one row per differing key.
        var csvResponse = await http.GetAsync($"api/checks/{runId}/report?format=csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Matches($"repldash-m1-check-{runId}-\\d{{4}}-\\d{{2}}-\\d{{2}}\\.csv", csvResponse.Content.Headers.ContentDisposition!.FileName);
        using (var reader = CsvReader.Create(new StringReader(await csvResponse.Content.ReadAsStringAsync()), null, false))
        {
            var rows = reader.GetRecords<CsvFinding>().ToList();
            Assert.Equal(new[] { "hash", "key:1", "key:2", "key:3", "key:7", "only-on-s1" }, rows.Select(r => r.Key).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal("s1", r.Node));
            var missing = Assert.Single(rows, r => r.Key == "key:3");
            Assert.Equal("MissingOnSlave", missing.Difference);
            Assert.Equal("", missing.SlaveType);
            Assert.Equal(40, missing.MasterValueDigest.Length);
        }

        // JSON: the documented schema (docs/CONSISTENCY.md).
        var json = JsonDocument.Parse(await http.GetStringAsync($"api/checks/{runId}/report?format=json")).RootElement;
        Assert.Equal("repldash.check-report/1", json.GetProperty("schema").GetString());
        Assert.Equal("m1", json.GetProperty("cluster").GetString());
        foreach (var field in new[] { "id", "status", "outcome", "startedUtc", "endedUtc", "startedBy", "master", "nodes", "bucketRanges",
                     "bucketsDone", "bucketsTotal", "chunksDone", "keysCompared", "differingChunks", "differingKeys", "firstMarkerPosition",
                     "lastMarkerPosition", "repairOfRunId", "recheckRunId", "repairedUtc", "repairedBy" })
            Assert.True(json.GetProperty("run").TryGetProperty(field, out _), $"run.{field} is missing");
        var findings = json.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(6, findings.Count);
        var ttl = findings.Single(f => f.GetProperty("key").GetString() == "key:7");
        Assert.NotEqual(ttl.GetProperty("master").GetProperty("expireAtMs").GetInt64(), ttl.GetProperty("slave").GetProperty("expireAtMs").GetInt64());
        Assert.Equal(JsonValueKind.Null, findings.Single(f => f.GetProperty("key").GetString() == "only-on-s1").GetProperty("master").ValueKind);

        // HTML: well-formed (XHTML-compatible syntax), with the summary, the per-node table and every differing key.
        var html = await http.GetStringAsync($"api/checks/{runId}/report?format=html");
        using var xml = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        var document = XDocument.Load(xml);
        var cells = document.Descendants("td").Select(td => td.Value).ToList();
        Assert.Contains("only-on-s1", cells);
        Assert.Contains("s2", cells);
        Assert.Contains("@page { size: A4", html);
    }
}

/// <summary>A row of the CSV report as a reader outside the project sees it.</summary>
[CsvRecord]
public sealed partial class CsvFinding
{
    public long RunId { get; set; }
    public string Node { get; set; } = "";
    public string Key { get; set; } = "";
    public string KeyHex { get; set; } = "";
    public int Bucket { get; set; }
    public string Difference { get; set; } = "";
    public string MasterType { get; set; } = "";
    public string SlaveType { get; set; } = "";
    public string MasterValueDigest { get; set; } = "";
    public string SlaveValueDigest { get; set; } = "";
    public string MasterExpireAtMs { get; set; } = "";
    public string SlaveExpireAtMs { get; set; } = "";
    public int Database { get; set; }
}
