using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Engine.Tests.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>
/// A checksum failure before the tail stops the node with an error naming the file and offset, while the
/// process keeps serving the dashboard and the API.
/// </summary>
public class CorruptBinlogStartTests
{
    [Fact]
    public async Task CorruptMiddleItem_FailsTheNodeWithFileAndOffset_ProcessKeepsServing()
    {
        var dataDir = RepositoryPaths.NewTempDirectory("corrupt");
        await using var app = await ReplDashProcess.StartAsync(dataDir);
        using (var client = await RespTestClient.ConnectAsync(app.RespPort))
            for (int i = 0; i < 20; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"k{i}", new string('v', 100)));
        await app.StopAsync();

        // Corrupt the 10th item's payload; the store's checkpoint is older only if replay is needed, so also drop the store.
        var damaged = BinlogTestLog.CorruptItemAndDropStore(Path.Combine(dataDir, "m1"), itemIndex: 9);

        await using var restarted = await app.RestartAsync();
        using var http = TestCredentials.Client(restarted.BaseAddress);
        var cluster = await http.GetFromJsonAsync<JsonElement>("api/cluster");
        var node = cluster.GetProperty("nodes")[0];
        Assert.Equal("failed", node.GetProperty("state").GetString());
        string error = node.GetProperty("lastError").GetString()!;
        Assert.Contains("binlog.000001", error);
        Assert.Contains($"offset {damaged.Offset}", error);

        using var resp = await RespTestClient.ConnectAsync(restarted.RespPort);
        var refused = Assert.IsType<RespError>(await resp.CallAsync("GET", "k1"));
        Assert.Contains("failed", refused.Message);
        Assert.Contains("binlog.000001", refused.Message);
        Assert.Equal("PONG", await resp.CallAsync("PING"));
        Assert.True((await http.GetAsync("healthz")).IsSuccessStatusCode);
    }
}
