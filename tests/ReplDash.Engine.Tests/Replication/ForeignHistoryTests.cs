using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Lesson L5, the other half: history a master cannot verify as its own is refused, never overwritten. A slave keeps
/// its data and waits for an operator; items sent back are taken only when they continue the master's own history.
/// </summary>
public class ForeignHistoryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SlaveHoldingHistoryOfAnotherOrigin_IsRefusedNotOverwritten_UntilAnOperatorAsksForAResync()
    {
        var cluster = new ClusterConfig { SemiSync = false };
        var slaveDir = RepositoryPaths.NewTempDirectory("foreign-s1");

        // s1 first follows a master named "other" (on m1's ports) and receives its history.
        var otherSettings = cluster.For("other,s1");
        otherSettings["ReplDash__Nodes__0__Id"] = "other";
        otherSettings["ReplDash__Nodes__1__Master"] = "other";
        otherSettings["ReplDash__Nodes__2__Master"] = "other";
        string foreignDigest;
        await using (var other = await ReplDashProcess.StartAsync(slaveDir, otherSettings, respPort: cluster.MasterResp, readyPort: cluster.Slave1Resp))
        {
            await WriteAsync(cluster.MasterResp, "foreign", 10);
            var (otherDigest, slaveDigest) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
            Assert.Equal(otherDigest, slaveDigest);
            foreignDigest = slaveDigest;
            await other.StopAsync();
        }

        // Then s1 is pointed at m1, a master with a shorter history of its own. m1 is given "other"'s cluster id, so
        // that the handshake lets s1 in and the history rules are what refuse it (another cluster is refused earlier:
        // OtherClusterTests).
        var masterDir = RepositoryPaths.NewTempDirectory("foreign-m1");
        Directory.CreateDirectory(Path.Combine(masterDir, "m1"));
        File.Copy(Path.Combine(slaveDir, "other", "cluster-id"), Path.Combine(masterDir, "m1", "cluster-id"));
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp, masterDir);
        await WriteAsync(cluster.MasterResp, "own", 2);
        await using var slave = await cluster.StartAsync("s1", cluster.Slave1Resp, slaveDir);

        var masterSide = await Convergence.WaitForEventAsync(master.BaseAddress, "history-diverged", Deadline, "m1", "other:10");
        Assert.Contains("s1", masterSide);
        var slaveSide = await Convergence.WaitForEventAsync(slave.BaseAddress, "history-diverged", Deadline, "s1", "keeps its data");
        Assert.Contains("other:10", slaveSide);
        await Poll.UntilAsync(async () => (await LinkAsync(slave.BaseAddress)).GetProperty("linkState").GetString() == "diverged",
            "s1's link to stop as diverged", Deadline);
        var link = await LinkAsync(slave.BaseAddress);
        Assert.Contains("history diverged", link.GetProperty("lastError").GetString());

        // The slave keeps its data and does not retry: a window of a few seconds (several reconnect backoffs) sees no
        // second attempt. (s1's events of its time with "other" share the data folder: count from here.)
        Assert.Equal(foreignDigest, await Convergence.DigestAsync(cluster.Slave1Resp));
        int linkUps = await ReplicationProbe.CountEventsAsync(slave.BaseAddress, "link-up", "s1");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await ReplicationProbe.CountEventsAsync(master.BaseAddress, "history-diverged", "m1"));
        Assert.Equal(1, await ReplicationProbe.CountEventsAsync(master.BaseAddress, "trysync", "m1"));
        Assert.Equal(linkUps, await ReplicationProbe.CountEventsAsync(slave.BaseAddress, "link-up", "s1"));
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(master.BaseAddress, "full-resync-start", "m1"));
        Assert.Equal("v0", await Convergence.GetAsync(cluster.Slave1Resp, "foreign:0"));

        // The operator chooses the master's history: a full resync, and s1 follows m1 from then on.
        using (var http = new HttpClient { BaseAddress = slave.BaseAddress })
            Assert.True((await http.PostAsync("api/nodes/s1/resync", null)).IsSuccessStatusCode);
        await Convergence.WaitForEventAsync(slave.BaseAddress, "full-resync-end", Deadline, "s1");
        var (masterDigest, resynced) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, Deadline);
        Assert.Equal(masterDigest, resynced);
        Assert.Null(await Convergence.GetAsync(cluster.Slave1Resp, "foreign:0"));
        Assert.Equal("v1", await Convergence.GetAsync(cluster.Slave1Resp, "own:1"));
    }

    [Fact]
    public async Task SentBackItems_AreTakenOnlyWhenTheyContinueTheMastersOwnHistory()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig { SemiSync = false }, "m1", c => c.MasterResp);
        await using var app = started;
        await WriteAsync(cluster.MasterResp, "k", 3);
        var info = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        var end = ReplicationProbe.ParsePosition(info["binlog_position"]);
        var lastId = ReplicationProbe.ParseTransactionId(info["last_transaction_id"]);
        long endLogical = long.Parse(info["master_repl_offset"]);

        // An item of another origin at the master's end, claimed as the master's next transaction: refused.
        var foreign = Item(new TransactionId("m2", lastId.Sequence + 1), "intruder");
        await using (var liar = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s1"))
        {
            var ahead = end with { Offset = end.Offset + foreign.Length };
            await liar.SendAsync(new TrySync(ahead, endLogical + foreign.Length, lastId with { Sequence = lastId.Sequence + 1 }, ahead));
            var sendBack = await liar.ReceiveAsync<TrySyncReply>();
            Assert.Equal(TrySyncOutcome.SendBack, sendBack.Outcome);
            Assert.Equal(end, sendBack.From);
            await liar.SendAsync(new TailItems([new ShippedItem(end, foreign)], Final: true));
            var refused = await liar.ReceiveAsync<TrySyncReply>();
            Assert.Equal(TrySyncOutcome.Diverged, refused.Outcome);
            Assert.Contains("not of this master's origin", refused.Reason);
            Assert.True(await liar.ClosedByMasterWithinAsync(Deadline), "the master kept a diverged link open");
        }
        await Convergence.WaitForEventAsync(app.BaseAddress, "history-diverged", Deadline, "m1", "Slave s1");
        Assert.Null(await Convergence.GetAsync(cluster.MasterResp, "intruder"));
        Assert.Equal(end.ToString(), (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["binlog_position"]);

        // The master's own next transaction at its end: taken back, appended, applied; streaming continues after it.
        var own = Item(lastId with { Sequence = lastId.Sequence + 1 }, "healed");
        var ownEnd = end with { Offset = end.Offset + own.Length };
        await using (var holder = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s2"))
        {
            await holder.SendAsync(new TrySync(ownEnd, endLogical + own.Length, lastId with { Sequence = lastId.Sequence + 1 }, ownEnd));
            Assert.Equal(TrySyncOutcome.SendBack, (await holder.ReceiveAsync<TrySyncReply>()).Outcome);
            await holder.SendAsync(new TailItems([new ShippedItem(end, own)], Final: true));
            var reply = await holder.ReceiveAsync<TrySyncReply>();
            Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
            Assert.Equal(ownEnd, reply.From);
        }
        var recovered = await Convergence.WaitForEventAsync(app.BaseAddress, "tail-recovered", Deadline, "m1", "from slave s2");
        Assert.Contains($"m1:{lastId.Sequence + 1}", recovered);
        Assert.Equal("sent-back", await Convergence.GetAsync(cluster.MasterResp, "healed"));
        var after = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        Assert.Equal(ownEnd.ToString(), after["binlog_position"]);
        Assert.Equal($"m1:{lastId.Sequence + 1}", after["last_transaction_id"]);
        // The next write continues the sequence after the item taken back.
        await WriteAsync(cluster.MasterResp, "next", 1);
        Assert.Equal($"m1:{lastId.Sequence + 2}", (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["last_transaction_id"]);
    }

    private static byte[] Item(TransactionId id, string key) =>
        BinlogItemCodec.Encode(new BinlogItem(BinlogItemType.Transaction, id, 1_700_000_000_000,
            [["SET"u8.ToArray(), Encoding.UTF8.GetBytes(key), "sent-back"u8.ToArray()]]));

    private static async Task<JsonElement> LinkAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var cluster = await http.GetFromJsonAsync<JsonElement>("api/cluster");
        return cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "s1").GetProperty("link");
    }

    private static async Task WriteAsync(int port, string prefix, int count)
    {
        using var client = await RespTestClient.ConnectAsync(port);
        for (int i = 0; i < count; i++)
            Assert.Equal("OK", await client.CallAsync("SET", $"{prefix}:{i}", $"v{i}"));
    }
}
