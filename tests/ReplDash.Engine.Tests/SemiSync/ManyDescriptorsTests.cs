using System.Globalization;
using System.Net.Sockets;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// Lesson L2 (MySQL's select()-based ack receiver missed acks on descriptors above 1024): the master process
/// holds more than 1100 descriptors before the slave connects, so the slave's socket lands above 1024; every
/// write must still be acknowledged by the slave (yes_tx), never released by the timeout (no_tx, no_times).
/// </summary>
public class ManyDescriptorsTests
{
    private const int ExtraConnections = 1100;

    [Fact]
    public async Task SlaveSocketAbove1024_AcksStillArrive_AndSemiSyncStaysOn()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 10_000 };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var idle = new List<TcpClient>();
        try
        {
            for (int i = 0; i < ExtraConnections; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", cluster.MasterResp);
                idle.Add(tcp);
            }
            // Every accepted connection is a descriptor in the master's process.
            await Poll.UntilAsync(() => DescriptorCount(master.ProcessId) > ExtraConnections, "the master to hold the extra connections");

            await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp);
            await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
            int? replicationFd = null;
            await Poll.UntilAsync(() => (replicationFd = ReplicationSocketDescriptor(master.ProcessId, cluster.MasterReplication)) is not null,
                "the replication socket");
            Assert.True(replicationFd > 1024, $"the slave's socket is descriptor {replicationFd}; the test needs it above 1024");

            using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
            for (int i = 0; i < 200; i++)
                Assert.Equal("OK", await client.CallAsync("SET", $"fd:{i}", "x"));

            var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
            Assert.Equal("ON", info["Rpl_semi_sync_master_status"]);
            Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_times"));
            Assert.Equal(0, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_no_tx"));
            Assert.True(SemiSyncInfo.Number(info, "Rpl_semi_sync_master_yes_tx") >= 200);
        }
        finally
        {
            foreach (var tcp in idle)
                tcp.Dispose();
        }
    }

    private static int DescriptorCount(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>The master's descriptor for its accepted connection on the replication port, or null.</summary>
    private static int? ReplicationSocketDescriptor(int pid, int replicationPort)
    {
        string portHex = replicationPort.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1].EndsWith(":" + portHex, StringComparison.Ordinal) && f[3] == "01") // local port, ESTABLISHED
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet();
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && inodes.Contains(target))
                return int.Parse(Path.GetFileName(fd), CultureInfo.InvariantCulture);
        }
        return null;
    }

}
