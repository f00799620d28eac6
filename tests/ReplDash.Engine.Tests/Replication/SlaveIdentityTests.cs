using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ReplDash.Engine.Core.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// The replication port trusts no more than it must (issue 11, case 6), tried against the real binary over real
/// sockets: a slave id the configuration does not name, or a second link for a connected id, is refused and never
/// counted for semi-sync; before the handshake completes, an oversized frame closes the connection without being
/// buffered and a silent connection is closed at the handshake deadline.
/// </summary>
public class SlaveIdentityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("stranger", "slave id 'stranger' is not configured for master m1")]
    [InlineData("s1", "slave s1 is already connected")]
    public async Task ImpostorSlaveId_IsRefused_AndCannotGetAWriteAcknowledged(string slaveId, string reason)
    {
        var cluster = new ClusterConfig
        {
            SemiSyncTimeoutMs = 60_000, // the write's wait must end by a real ack, never by the timeout
            Extra = new() { ["ReplDash__Faults__Enabled"] = "true" },
        };
        await using var app = await cluster.StartAsync("m1,s1", cluster.MasterResp);
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
        using var writer = await RespTestClient.ConnectAsync(cluster.MasterResp);
        Assert.Equal("OK", await writer.CallAsync("SET", "k", "acknowledged-by-s1"));
        var before = await Convergence.InfoAsync(cluster.MasterResp, "replication");

        // The real slave holds its acks: a write under AfterSync waits for them.
        await Convergence.ArmFaultAsync(app.BaseAddress, "s1", "HoldAcks");
        await writer.SendAsync("SET", "k", "only-an-impostor-acknowledged-this");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp);
        var reply = Task.Run(writer.ReadReply);

        // An impostor that stores nothing, with the secret: were it welcomed, it would acknowledge that write at once.
        await using var impostor = await FakeSlave.ConnectAsync(cluster.MasterReplication);
        var answer = await impostor.HandshakeAsync(ClusterConfig.Secret, slaveId);
        if (answer is Welcome)
            await AcknowledgeEverythingAsync(impostor, before);
        Assert.False(await CompletesWithinAsync(reply, TimeSpan.FromSeconds(2)),
            $"the write was answered while the only real slave held its acks: '{slaveId}' was counted");

        var error = Assert.IsType<ErrorMessage>(answer);
        Assert.Equal("REFUSED", error.Code);
        Assert.Contains(reason, error.Message);
        Assert.True(await impostor.ClosedByMasterWithinAsync(Deadline), "the master kept a refused link open");
        var refused = await Convergence.WaitForEventAsync(app.BaseAddress, "link-refused", Deadline, "m1", reason);
        Assert.DoesNotContain(ClusterConfig.Secret, refused);
        var replication = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        Assert.Equal("1", replication["connected_slaves"]);
        Assert.Contains("id=s1", replication["slave0"]);
        Assert.Equal("1", (await SemiSyncInfo.ReadAsync(cluster.MasterResp))["Rpl_semi_sync_master_clients"]);

        // The real s1 kept its link: once it acknowledges, the write is answered.
        await Convergence.ClearFaultsAsync(app.BaseAddress);
        Assert.Equal("OK", await reply.WaitAsync(Deadline));
        Assert.Equal("0", (await SemiSyncInfo.ReadAsync(cluster.MasterResp))["Rpl_semi_sync_master_no_tx"]);
    }

    [Fact]
    public async Task OversizedFrameBeforeTheHandshake_IsRefusedAtItsLengthPrefix_WithoutBeingBuffered()
    {
        // A handshake deadline far away: only the frame check can close the connection within the test's limit.
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = new() { ["ReplDash__Replication__HandshakeTimeoutSeconds"] = "60" } }, "m1", c => c.MasterResp);
        await using var app = started;
        long peakBefore = PeakResidentBytes(app.ProcessId);

        const int claimedBytes = 400_000_000;
        const int floodBytes = 64 * 1024 * 1024;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", cluster.MasterReplication);
        var clock = Stopwatch.StartNew();
        long sent = await FloodAsync(socket, claimedBytes, floodBytes);
        bool closed = await ClosedWithinAsync(socket, TimeSpan.FromSeconds(10));
        var closedAfter = clock.Elapsed;
        long grown = PeakResidentBytes(app.ProcessId) - peakBefore;

        Assert.True(closed, $"the master kept the connection open for 10 s after a {claimedBytes}-byte claim ({sent} bytes sent)");
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"closed only after {closedAfter}");
        Assert.True(grown < 24 * 1024 * 1024, $"the master's peak memory grew by {grown / 1024 / 1024} MB while {sent / 1024 / 1024} MB were sent");
        var refused = await Convergence.WaitForEventAsync(app.BaseAddress, "link-refused", Deadline, "m1", "before the handshake completed");
        Assert.Contains($"frame length {claimedBytes} is outside 1..{ReplicationCodec.MaxHandshakeFrameBytes}", refused);

        // The master keeps serving: a configured slave is welcomed.
        await using var slave = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret);
    }

    [Fact]
    public async Task SilentConnection_IsClosedAtTheHandshakeDeadline_NotTheLinkTimeout()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig { Extra = new() { ["ReplDash__Replication__HandshakeTimeoutSeconds"] = "1" } }, "m1", c => c.MasterResp);
        await using var app = started;

        await using var silent = await FakeSlave.ConnectAsync(cluster.MasterReplication);
        await silent.ReceiveAsync<Greeting>();
        var clock = Stopwatch.StartNew();
        // The link timeout is 20 s: closed within 10 s means the handshake deadline did it.
        Assert.True(await silent.ClosedByMasterWithinAsync(TimeSpan.FromSeconds(10)), "a silent connection outlived the 1 s handshake deadline by 9 s");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.8), $"closed after {clock.Elapsed}, before the 1 s handshake deadline");
        var refused = await Convergence.WaitForEventAsync(app.BaseAddress, "link-refused", Deadline, "m1", "no handshake within 1 s");
        Assert.Contains("a connection from 127.0.0.1:", refused);
    }

    /// <summary>What an impostor does once welcomed: continue from the master's position and acknowledge every batch at once.</summary>
    private static async Task AcknowledgeEverythingAsync(FakeSlave impostor, Dictionary<string, string> before)
    {
        var end = ReplicationProbe.ParsePosition(before["binlog_position"]);
        await impostor.SendAsync(new TrySync(end, long.Parse(before["master_repl_offset"]),
            ReplicationProbe.ParseTransactionId(before["last_transaction_id"]), end));
        Assert.Equal(TrySyncOutcome.Continue, (await impostor.ReceiveAsync<TrySyncReply>()).Outcome);
        var items = (await impostor.ReceiveBatchesAsync(1)).SelectMany(b => b.Items).ToList();
        await impostor.SendAsync(new Ack(items[0].Start, items[^1].End, items[^1].End, First: true));
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan limit) => await Task.WhenAny(task, Task.Delay(limit)) == task;

    /// <summary>Sends a length prefix claiming <paramref name="claimed"/> bytes, then up to <paramref name="flood"/> bytes of body; returns how many went out.</summary>
    private static async Task<long> FloodAsync(Socket socket, int claimed, int flood)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)claimed);
        var chunk = new byte[1024 * 1024];
        long sent = 0;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await socket.SendAsync(prefix, SocketFlags.None, limit.Token);
            while (sent < flood)
                sent += await socket.SendAsync(chunk, SocketFlags.None, limit.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The master closed (or stopped reading): what was sent so far is the answer.
        }
        return sent;
    }

    /// <summary>Reads until the master closes the connection (end of stream or reset): true when that happens within <paramref name="limit"/>.</summary>
    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan limit)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
                // The greeting and the refusal; the end of the stream is what counts.
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The peak resident memory of process <paramref name="pid"/> (VmHWM), in bytes.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Replace("kB", "").Trim()) * 1024;
    }
}
