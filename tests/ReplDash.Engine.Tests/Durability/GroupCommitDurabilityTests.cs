using System.Collections.Concurrent;
using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Durability;

/// <summary>
/// Every write a client saw acknowledged survives a SIGKILL of the whole process, with group commit
/// under concurrent load. The unsafe switch (answer before the binlog write) must make the same check fail.
/// </summary>
public class GroupCommitDurabilityTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int AcknowledgedBeforeKill = 4000;

    [Fact]
    public async Task SigkillUnderLoad_KeepsEveryAcknowledgedWrite()
    {
        var result = await RunLoadKillRestartAsync(unsafeAnswer: false);

        Assert.True(result.Acknowledged.Count >= AcknowledgedBeforeKill);
        Assert.Empty(result.LostKeys);
        Assert.InRange(result.CounterAfterRestart, result.AcknowledgedIncrements, result.SentIncrements);
    }

    [Fact]
    public async Task SigkillUnderLoad_WithUnsafeEarlyAnswers_IsCaughtLosingWrites()
    {
        var result = await RunLoadKillRestartAsync(unsafeAnswer: true);

        // The guard works: answering before the write reaches the log loses acknowledged writes.
        Assert.True(result.LostKeys.Count > 0 || result.CounterAfterRestart < result.AcknowledgedIncrements,
            $"expected the unsafe mode to lose acknowledged writes; acked {result.Acknowledged.Count}, counter {result.CounterAfterRestart} of {result.AcknowledgedIncrements} acked increments");
    }

    private sealed record LoadResult(ConcurrentDictionary<string, string> Acknowledged, List<string> LostKeys,
        long AcknowledgedIncrements, long SentIncrements, long CounterAfterRestart);

    private async Task<LoadResult> RunLoadKillRestartAsync(bool unsafeAnswer)
    {
        var dataDir = RepositoryPaths.NewTempDirectory("durability");
        var settings = new Dictionary<string, string>
        {
            ["ReplDash__Durability__SyncBinlog"] = "1",
            ["ReplDash__Faults__Enabled"] = unsafeAnswer ? "true" : "false",
            ["ReplDash__Faults__UnsafeAnswerBeforeBinlogWrite"] = unsafeAnswer ? "true" : "false",
            // With early answers, a slow disk leaves acknowledged writes only in memory: what the kill must expose.
            ["ReplDash__Faults__BinlogWriteDelayMs"] = unsafeAnswer ? "100" : "0",
        };
        await using var app = await ReplDashProcess.StartAsync(dataDir, settings);

        var acknowledged = new ConcurrentDictionary<string, string>();
        long acknowledgedIncrements = 0, sentIncrements = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using var connection = await RespTestClient.ConnectAsync(app.RespPort);
            try
            {
                for (int i = 0; ; i++)
                {
                    string key = $"c{client}:k{i}", value = $"v{i}";
                    if (await connection.CallAsync("SET", key, value) is not "OK")
                        throw new InvalidOperationException("SET was refused");
                    acknowledged[key] = value;
                    Interlocked.Increment(ref sentIncrements);
                    if (await connection.CallAsync("INCR", "counter") is long)
                        Interlocked.Increment(ref acknowledgedIncrements);
                    if (acknowledged.Count >= AcknowledgedBeforeKill)
                        enough.TrySetResult();
                }
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or System.Net.Sockets.SocketException)
            {
                // The server died under us: everything acknowledged before this point must survive.
            }
        })).ToArray();

        await enough.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await app.KillAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        await using var restarted = await app.RestartAsync(settings);
        using var reader = await RespTestClient.ConnectAsync(restarted.RespPort);
        var lost = new List<string>();
        foreach (var (key, value) in acknowledged)
            if (RespTestClient.Text(await reader.CallAsync("GET", key)) != value)
                lost.Add(key);
        long counter = long.Parse(RespTestClient.Text(await reader.CallAsync("GET", "counter")) ?? "0");
        output.WriteLine($"unsafe={unsafeAnswer}: acknowledged {acknowledged.Count} SETs, {acknowledgedIncrements} INCRs (sent {sentIncrements}); after restart counter={counter}, lost {lost.Count}");
        return new LoadResult(acknowledged, lost, acknowledgedIncrements, Interlocked.Read(ref sentIncrements), counter);
    }
}
