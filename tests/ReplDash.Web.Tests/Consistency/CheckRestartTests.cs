using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// Issue 13, test 3: a check survives a SIGKILL of the process in the middle and finishes after the restart, from its
/// last finished chunk: every bucket checked once, every key counted once.
/// </summary>
public class CheckRestartTests
{
    [Fact]
    public async Task CheckKilledMidway_ContinuesFromItsLastChunkAfterRestart()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig
            {
                // Two buckets per chunk: 2,048 chunks, long enough to be killed in the middle.
                Extra =
                {
                    ["ReplDash__Consistency__MaxChunkBuckets"] = "2",
                    ["ReplDash__Consistency__InitialChunkBuckets"] = "2",
                },
            },
            "m1,s1,s2", c => c.MasterResp);
        var app = started;
        try
        {
            using (var master = await RespTestClient.ConnectAsync(cluster.MasterResp))
                for (int i = 0; i < 3000; i++)
                    Assert.Equal("OK", await master.CallAsync("SET", $"k{i}", $"v{i}"));
            await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, ChecksApi.Deadline);

            long runId;
            int doneAtKill = 0;
            using (var http = TestCredentials.Client(app.BaseAddress))
            {
                runId = await ChecksApi.StartAsync(http);
                await Poll.UntilAsync(async () =>
                {
                    var shown = await ChecksApi.ShowAsync(http, runId);
                    doneAtKill = shown.GetProperty("run").GetProperty("bucketsDone").GetInt32();
                    return doneAtKill >= 200 || shown.GetProperty("status").GetString() != "running";
                }, "the check to be under way");
            }
            Assert.InRange(doneAtKill, 200, 4000);
            await app.KillAsync();

            app = await app.RestartAsync();
            using var after = TestCredentials.Client(app.BaseAddress);
            var resumed = await Convergence.WaitForEventAsync(app.BaseAddress, "check-resumed", ChecksApi.Deadline, "m1", $"check {runId} ");
            var run = await ChecksApi.WaitDoneAsync(after, runId);

            Assert.Equal("completed", run.GetProperty("status").GetString());
            Assert.Empty(ChecksApi.Findings(run));
            Assert.Equal(4096, run.GetProperty("run").GetProperty("bucketsDone").GetInt32());
            // Each key counted once: no chunk skipped or checked twice across the kill.
            Assert.Equal(3000, run.GetProperty("run").GetProperty("keysCompared").GetInt64());
            int resumedFrom = int.Parse(System.Text.RegularExpressions.Regex.Match(resumed, @"from bucket (\d+)").Groups[1].Value);
            Assert.InRange(resumedFrom, doneAtKill, 4095);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\nApp output:\n{app.Output}", e);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
