using System.Text;
using ReplDash.Engine.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>The master alone decides expiry and logs it as a DEL, so replicas never expire on their own clock.</summary>
public class ExpiryReplicationFormTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task ExpiredKey_IsDeletedByTheMasterAndLoggedAsDel_RelativeTtlLoggedAsAbsolute()
    {
        using var client = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        Assert.Equal("OK", await client.CallAsync("SET", "exp:k", "v", "PX", "150"));

        // Active expiry runs on the master's maintenance loop: wait for the key to go, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await client.CallAsync("EXISTS", "exp:k") is 1L && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(0L, await client.CallAsync("EXISTS", "exp:k"));

        var binlogDir = Path.Combine(fixture.App.DataDir, "m1", "binlog");
        var recovered = BinlogRecovery.Open(binlogDir);
        var commands = new BinlogReader(binlogDir).Read(recovered.Start, recovered.End)
            .SelectMany(e => e.Item.Commands)
            .Select(c => string.Join(' ', c.Select(a => Encoding.ASCII.GetString(a))))
            .ToList();
        Assert.Contains(commands, c => c.StartsWith("SET exp:k v PXAT ", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(commands, c => c.Equals("DEL exp:k", StringComparison.OrdinalIgnoreCase));
    }
}
