using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Tests.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// A slave that is being sent a snapshot holds nothing yet: the master's window for it starts at the snapshot's tag,
/// but the slave must not count for semi-sync (or WAIT) until it acknowledges. Found by the simulator (issue 16): the
/// master counted such a slave as having everything up to the tag as soon as the first item after the snapshot was
/// shipped, so a write waiting for a quorum of two could be answered with one slave's relay log holding it.
/// </summary>
public class SemiSyncAfterFullResyncTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASlaveBeingResynced_CountsForTheQuorumOnlyFromItsFirstAck()
    {
        var cluster = new ClusterConfig { SemiSyncTimeoutMs = 60_000 };
        var (_, started) = await PortCollisionRetry.StartAsync(() => cluster, "m1,s2", c => c.MasterResp);
        await using var app = started;
        using var client = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await SemiSyncInfo.ClientsAsync(cluster.MasterResp, 1);
        Assert.Equal("OK", await client.CallAsync("SET", "before", "1")); // s2 alone is the quorum of one
        Assert.Equal("OK", await client.CallAsync("CONFIG", "SET", "rpl_semi_sync_master_wait_for_slave_count", "2"));
        long yesBefore = SemiSyncInfo.Number(await SemiSyncInfo.ReadAsync(cluster.MasterResp), "Rpl_semi_sync_master_yes_tx");

        // W waits: s2 acknowledges it, s1 is not there.
        using var writerW = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await writerW.SendAsync("SET", "w", "before-the-snapshot");
        await SemiSyncInfo.WaitingSessionsAsync(cluster.MasterResp, 1);

        // s1 (driven by hand) asks to continue from inside the first item: it gets a snapshot that holds W.
        await using var s1 = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s1");
        var firstItem = new BinlogPosition(1, BinlogFormat.SegmentHeaderSize);
        var inside = firstItem with { Offset = firstItem.Offset + 1 };
        await s1.SendAsync(new TrySync(inside, 1, TransactionId.None, inside));
        Assert.Equal(TrySyncOutcome.NotBoundary, (await s1.ReceiveAsync<TrySyncReply>()).Outcome);
        var (begin, entries, _) = await s1.ReceiveSnapshotAsync();
        Assert.Contains(entries, e => System.Text.Encoding.UTF8.GetString(e.Key) == "w");

        // Two more writes are shipped to s1 (its window now starts at the tag) and acknowledged by s2; s1 acks nothing.
        using var writer2 = await RespTestClient.ConnectAsync(cluster.MasterResp);
        using var writer3 = await RespTestClient.ConnectAsync(cluster.MasterResp);
        await writer2.SendAsync("SET", "w2", "after");
        var shipped = await s1.ReceiveBatchesAsync(1);
        Assert.Equal(begin.Tag, shipped[0].Items[0].Start);
        await SemiSyncInfo.SlaveAckedMasterEndAsync(cluster.MasterResp, "s2", Deadline);
        // s2's session handles its acks one after another: once it acknowledged W3, its ack of W2 has been counted.
        await writer3.SendAsync("SET", "w3", "after");
        shipped.AddRange(await s1.ReceiveBatchesAsync(1));
        await SemiSyncInfo.SlaveAckedMasterEndAsync(cluster.MasterResp, "s2", Deadline);

        var info = await SemiSyncInfo.ReadAsync(cluster.MasterResp);
        Assert.Equal(3, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_wait_sessions")); // W too: s1 has not stored the snapshot
        Assert.Equal(yesBefore, SemiSyncInfo.Number(info, "Rpl_semi_sync_master_yes_tx"));

        // s1's first ack (its relay log holds both items after the tag): now it counts, and all three are answered.
        var last = shipped[^1].Items[^1].End;
        await s1.SendAsync(new Ack(begin.Tag, last, last, First: true));
        Assert.Equal("OK", writerW.ReadReply());
        Assert.Equal("OK", writer2.ReadReply());
        Assert.Equal("OK", writer3.ReadReply());
        var after = await SemiSyncInfo.WaitUntilAsync(cluster.MasterResp, i => SemiSyncInfo.Number(i, "Rpl_semi_sync_master_wait_sessions") == 0,
            "no write waiting after s1's ack");
        Assert.Equal(yesBefore + 3, SemiSyncInfo.Number(after, "Rpl_semi_sync_master_yes_tx"));
        Assert.Equal("ON", after["Rpl_semi_sync_master_status"]);
    }
}
