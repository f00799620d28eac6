using System.Net.Sockets;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Lesson L4 for a blocked pop: what a blocked client is served was pushed by a write that waits for its slave's ack,
/// and the pop is a write of its own, so the served reply must wait for the ack too (no client reads an
/// unacknowledged write). With the slave's acks held, the served client's reply is held among the semi-sync waits
/// and nothing reaches its socket; once acks flow, it gets the element.
/// </summary>
public class BlockingPopSemiSyncTests
{
    [Fact]
    public async Task AServedPop_IsHeldUntilTheSlaveAcknowledges()
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000, // the wait must end by the ack, never by the timeout
            Extra = new() { ["ReplDash__Faults__Enabled"] = "true" },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        using var pusher = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal(1L, await pusher.CallAsync("RPUSH", "warmup", "x")); // acknowledged normally
        await SemiSyncInfo.StatusAsync(cluster.MasterResp, on: true);

        using var waiter = new TcpClient { NoDelay = true };
        await waiter.ConnectAsync("127.0.0.1", cluster.MasterResp);
        var stream = waiter.GetStream();
        await stream.WriteAsync("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n"u8.ToArray());
        await Poll.UntilAsync(async () => (await Convergence.InfoAsync(cluster.MasterResp, "clients"))["blocked_clients"] == "1", "BLPOP blocked");

        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await pusher.SendAsync("RPUSH", "q", "unacknowledged");
        // Both replies wait for the ack: the pusher's and the served pop's.
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp, count: 2);
        Assert.Equal("0", (await Convergence.InfoAsync(cluster.MasterResp, "clients"))["blocked_clients"]);
        Assert.Equal(0, waiter.Available);

        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal(1L, pusher.ReadReply());
        var expected = "*2\r\n$1\r\nq\r\n$14\r\nunacknowledged\r\n"u8.ToArray();
        var received = new byte[expected.Length];
        await stream.ReadExactlyAsync(received).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(expected, received);
    }
}
