using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>
/// Sorted sets survive restarts: read back from the SQLite checkpoint after a graceful stop, and rebuilt by
/// binlog replay after SIGKILL (with the checkpoint behind, and with no checkpoint at all).
/// </summary>
public class ZSetRestartTests
{
    private static string[] Texts(object? reply) => Assert.IsType<object?[]>(reply).Select(r => RespTestClient.Text(r)!).ToArray();

    private static async Task WriteZSetsAsync(RespTestClient client, string prefix)
    {
        Assert.Equal(4L, await client.CallAsync("ZADD", $"{prefix}:a", "1", "x", "2.5", "y", "-inf", "low", "inf", "high"));
        Assert.Equal("2.6000000000000001", RespTestClient.Text(await client.CallAsync("ZINCRBY", $"{prefix}:a", "0.1", "y")));
        Assert.Equal(["low", "-inf"], Texts(await client.CallAsync("ZPOPMIN", $"{prefix}:a")));
        for (int i = 0; i < 200; i++)
            await client.CallAsync("ZADD", $"{prefix}:big", (i * 0.37).ToString(System.Globalization.CultureInfo.InvariantCulture), $"m{i}");
        Assert.Equal(2L, await client.CallAsync("ZREMRANGEBYRANK", $"{prefix}:big", "0", "1"));
        Assert.Equal(3L, await client.CallAsync("ZUNIONSTORE", $"{prefix}:u", "2", $"{prefix}:a", $"{prefix}:gone", "WEIGHTS", "2", "1"));
        Assert.Equal(1L, await client.CallAsync("PEXPIRE", $"{prefix}:u", "100000000"));
    }

    /// <summary>The digest and two sets' contents, as one comparable text.</summary>
    private static async Task<string> SnapshotAsync(RespTestClient client, string prefix) =>
        RespTestClient.Text(await client.CallAsync("DEBUG", "DIGEST")) + " | " +
        string.Join(' ', Texts(await client.CallAsync("ZRANGE", $"{prefix}:a", "0", "-1", "WITHSCORES"))) + " | " +
        string.Join(' ', Texts(await client.CallAsync("ZRANGE", $"{prefix}:u", "0", "-1", "WITHSCORES")));

    [Fact]
    public async Task ZSets_SurviveCheckpointRestart_AndBinlogReplayAfterKill()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("zset-restart");
        var app = await ReplDashProcess.StartAsync(dataDir);
        try
        {
            string before;
            using (var client = await RespTestClient.ConnectAsync(app.RespPort))
            {
                await WriteZSetsAsync(client, "one");
                before = await SnapshotAsync(client, "one");
            }
            Assert.EndsWith(" | x 1 y 2.6000000000000001 high inf | x 2 y 5.2000000000000002 high inf", before);

            // Graceful stop: the last checkpoint holds everything; the restart loads it from SQLite.
            await app.StopAsync();
            app = await app.RestartAsync();
            using (var client = await RespTestClient.ConnectAsync(app.RespPort))
            {
                Assert.Equal(before, await SnapshotAsync(client, "one"));
                Assert.Equal("zset", await client.CallAsync("TYPE", "one:big"));
                Assert.Equal(198L, await client.CallAsync("ZCARD", "one:big"));
                await WriteZSetsAsync(client, "two");
                before = await SnapshotAsync(client, "two");
            }

            // SIGKILL right after the writes: what the checkpoint lacks comes back by binlog replay.
            await app.KillAsync();
            app = await app.RestartAsync();
            using (var client = await RespTestClient.ConnectAsync(app.RespPort))
                Assert.Equal(before, await SnapshotAsync(client, "two"));

            // No checkpoint at all: the whole dataset is rebuilt from the binlog's effects.
            await app.KillAsync();
            foreach (var store in Directory.GetFiles(Path.Combine(dataDir, "m1"), "store.db*"))
                File.Delete(store);
            app = await app.RestartAsync();
            using (var client = await RespTestClient.ConnectAsync(app.RespPort))
            {
                Assert.Equal(before, await SnapshotAsync(client, "two"));
                Assert.Equal(198L, await client.CallAsync("ZCARD", "one:big"));
            }
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
