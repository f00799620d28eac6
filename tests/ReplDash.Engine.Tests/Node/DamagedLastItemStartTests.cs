using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Engine.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>
/// A damaged last item that the store says was durable is refused at start, and the binlog is left exactly as it
/// was: an operator still has every byte to inspect (nothing is cut before refusing).
/// </summary>
public class DamagedLastItemStartTests
{
    [Fact]
    public async Task DamagedLastItem_BehindTheStore_RefusesStart_AndLeavesTheFileIntact()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("damaged-last");
        await using var app = await ReplDashProcess.StartAsync(dataDir);
        using (var client = await RespTestClient.ConnectAsync(app.RespPort))
            for (int i = 0; i < 20; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", new string('v', 100)));
        await app.StopAsync(); // a graceful stop checkpoints: the store reflects the last item

        var binlogDir = Path.Combine(dataDir, "m1", "binlog");
        var recovered = BinlogRecovery.Open(binlogDir);
        var last = new BinlogReader(binlogDir).Read(recovered.Start, recovered.End).Last();
        var segment = BinlogDirectory.SegmentPath(binlogDir, last.Start.FileNumber);
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.Position = last.Start.Offset + 40;
            int b = file.ReadByte();
            file.Position = last.Start.Offset + 40;
            file.WriteByte((byte)(b ^ 0xFF));
        }
        var damaged = File.ReadAllBytes(segment);

        await using var restarted = await app.RestartAsync();
        using var http = TestCredentials.Client(restarted.BaseAddress);
        var node = (await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes")[0];
        Assert.Equal("failed", node.GetProperty("state").GetString());
        var error = node.GetProperty("lastError").GetString()!;
        Assert.Contains(Path.GetFileName(segment), error);
        Assert.Contains($"offset {last.Start.Offset}", error);
        Assert.Equal(damaged, File.ReadAllBytes(segment)); // not truncated before refusing
        Assert.False(Directory.Exists(Path.Combine(dataDir, "m1", "quarantine")));
    }
}
