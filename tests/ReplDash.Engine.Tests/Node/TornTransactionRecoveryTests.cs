using ReplDash.Engine.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>A MULTI/EXEC whose binlog item is torn by a crash is recovered as nothing at all, never as half.</summary>
public class TornTransactionRecoveryTests
{
    [Fact]
    public async Task TornMultiExecItem_IsDroppedWhole_AndReportedAsTornTail()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("torn-tx");
        await using var app = await ReplDashProcess.StartAsync(dataDir);
        using (var client = await RespTestClient.ConnectAsync(app.RespPort))
        {
            Assert.Equal("OK", await client.CallAsync("SET", "before", "1"));
            Assert.Equal("OK", await client.CallAsync("MULTI"));
            foreach (var key in new[] { "tx1", "tx2", "tx3" })
                Assert.Equal("QUEUED", await client.CallAsync("SET", key, new string('x', 200)));
            Assert.Equal(3, Assert.IsType<object?[]>(await client.CallAsync("EXEC")).Length);
        }
        await app.KillAsync();

        // Simulate the crash landing inside the transaction's item: cut its last bytes, and lose the
        // store's checkpoint so recovery has to replay the binlog.
        var binlogDir = Path.Combine(dataDir, "m1", "binlog");
        var segment = BinlogDirectory.SegmentPath(binlogDir, 1);
        using (var file = new FileStream(segment, FileMode.Open))
            file.SetLength(file.Length - 100);
        foreach (var store in Directory.GetFiles(Path.Combine(dataDir, "m1"), "store.db*"))
            File.Delete(store);
        var beforeCut = File.ReadAllBytes(segment);

        await using var restarted = await app.RestartAsync();
        using var reader = await RespTestClient.ConnectAsync(restarted.RespPort);
        Assert.Equal("1", RespTestClient.Text(await reader.CallAsync("GET", "before")));
        Assert.Equal(0L, await reader.CallAsync("EXISTS", "tx1", "tx2", "tx3"));
        using var http = TestCredentials.Client(restarted.BaseAddress);
        // Events are persisted in the background: wait for this one, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string events;
        while (!(events = await http.GetStringAsync("api/events?nodeId=m1")).Contains("torn-tail-truncated") && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Contains("torn-tail-truncated", events);

        // The cut bytes were copied aside before the cut, and the event names the copy.
        long cutAt = new FileInfo(segment).Length;
        var copy = Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "m1", "quarantine"), "*.torn"));
        Assert.StartsWith($"binlog.000001.{cutAt}.", Path.GetFileName(copy));
        Assert.Equal(beforeCut[(int)cutAt..], File.ReadAllBytes(copy));
        Assert.Contains(Path.GetFileName(copy), events);
    }
}
