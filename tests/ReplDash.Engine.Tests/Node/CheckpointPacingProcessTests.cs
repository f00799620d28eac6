using System.Globalization;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>
/// A checkpoint writes a changed collection whole, so a big hash that takes one HSET costs the whole hash per
/// checkpoint. The node spaces its checkpoints by their own cost (CheckpointPacing: at most 5 % of the time), which
/// INFO persistence shows as checkpoint_last_work_ms and checkpoint_delay_ms.
/// </summary>
public class CheckpointPacingProcessTests
{
    private const int IntervalMs = 50;

    private static long Field(string info, string name) =>
        long.Parse(info.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..],
            CultureInfo.InvariantCulture);

    [Fact]
    public async Task ABigDirtyHash_SpacesCheckpointsByTheirCost()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("checkpoint-pacing");
        var app = await ReplDashProcess.StartAsync(dataDir, new Dictionary<string, string>
        {
            ["ReplDash__Replication__HealWaitMs"] = "0", // a lone master: no slave's relay log to wait for
            ["ReplDash__Durability__CheckpointIntervalMs"] = IntervalMs.ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            using var client = await RespTestClient.ConnectAsync(app.RespPort);
            // 300,000 fields in batches of 1,000; then one HSET at a time keeps the hash dirty for each checkpoint.
            for (int batch = 0; batch < 300; batch++)
            {
                var args = new List<string> { "HSET", "big" };
                for (int i = 0; i < 1000; i++)
                    args.AddRange([$"field:{batch * 1000 + i}", "value-of-sixteen"]);
                Assert.Equal(1000L, await client.CallAsync([.. args]));
            }

            string info = "";
            int touches = 0;
            await Poll.UntilAsync(async () =>
            {
                await client.CallAsync("HSET", "big", "touched", (touches++).ToString(CultureInfo.InvariantCulture));
                info = RespTestClient.Text(await client.CallAsync("INFO", "persistence"))!;
                // A checkpoint of the whole hash costs milliseconds; one of a few small keys does not.
                return Field(info, "checkpoint_last_work_ms") >= 3;
            }, "a checkpoint that wrote the big hash", describe: () => Task.FromResult(info));

            long work = Field(info, "checkpoint_last_work_ms"), delay = Field(info, "checkpoint_delay_ms");
            // work is truncated to whole ms, so 19 x the exact work is at least 19 x this figure.
            Assert.True(delay >= 19 * work, $"checkpoint took {work} ms and the next waits {delay} ms: more than 5 % of the time");
            Assert.True(delay > IntervalMs, $"the wait ({delay} ms) should exceed the configured {IntervalMs} ms after a {work} ms checkpoint");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
