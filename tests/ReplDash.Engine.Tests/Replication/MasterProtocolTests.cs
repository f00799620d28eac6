using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// The master's side of the replication protocol, driven frame by frame by a <see cref="FakeSlave"/> over a
/// real socket against the real binary (lesson L1: start points, other histories, window checks; and the
/// handshake's secret).
/// </summary>
public class MasterProtocolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TrySyncInsideAnItem_IsRefusedAsNotAStartPoint_AndASnapshotFollows()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1", c => c.MasterResp);
        await using var app = started;
        var written = await WriteKeysAsync(cluster.MasterResp, "k", 5);
        var info = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        var end = ReplicationProbe.ParsePosition(info["binlog_position"]);
        var firstItem = new BinlogPosition(1, BinlogFormat.SegmentHeaderSize);
        Assert.True(end > firstItem with { Offset = firstItem.Offset + 1 }, $"the binlog must hold items: ends at {end}");

        await using var slave = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret);
        var insideFirstItem = firstItem with { Offset = firstItem.Offset + 1 };
        await slave.SendAsync(new TrySync(insideFirstItem, 1, TransactionId.None, insideFirstItem));

        var reply = await slave.ReceiveAsync<TrySyncReply>();
        Assert.Equal(TrySyncOutcome.NotBoundary, reply.Outcome);
        Assert.Contains("not a start point", reply.Reason);
        Assert.Contains(insideFirstItem.ToString(), reply.Reason);

        var (begin, entries, snapshotEnd) = await slave.ReceiveSnapshotAsync();
        Assert.Equal(end, begin.Tag);
        Assert.Equal(ReplicationProbe.ParseTransactionId(info["last_transaction_id"]), begin.TagId);
        Assert.Equal(written.Count, begin.KeyCount);
        var received = entries.ToDictionary(e => Encoding.UTF8.GetString(e.Key), e => Encoding.UTF8.GetString(e.Value!));
        Assert.Equal(written.OrderBy(kv => kv.Key), received.OrderBy(kv => kv.Key));
        Assert.All(entries, e => Assert.Equal(Core.Keyspace.ValueType.String, e.Type));
        Assert.Equal(await Convergence.DigestAsync(cluster.MasterResp), snapshotEnd.Digest);
    }

    [Fact]
    public async Task TrySyncFromAnotherHistory_IsRefusedNotOverwritten()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1", c => c.MasterResp);
        await using var app = started;
        var written = await WriteKeysAsync(cluster.MasterResp, "k", 5);
        var info = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        var end = ReplicationProbe.ParsePosition(info["binlog_position"]);
        var lastId = ReplicationProbe.ParseTransactionId(info["last_transaction_id"]);
        long endLogical = long.Parse(info["master_repl_offset"]);
        Assert.Equal("m1", lastId.Origin);
        Assert.True(endLogical > 0);

        // A real boundary, but the slave's last transaction there is not the master's: another history. Lesson L5: a
        // full resync would throw away what only the slave holds, so the master refuses and closes the link instead.
        await using (var stranger = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s1"))
        {
            await stranger.SendAsync(new TrySync(end, endLogical, new TransactionId("other", 5), end));
            var refused = await stranger.ReceiveAsync<TrySyncReply>();
            Assert.Equal(TrySyncOutcome.Diverged, refused.Outcome);
            Assert.Contains("another history", refused.Reason);
            Assert.True(await stranger.ClosedByMasterWithinAsync(Deadline), "the master kept a diverged link open");
        }
        var diverged = await Convergence.WaitForEventAsync(app.BaseAddress, "history-diverged", Deadline, "m1");
        Assert.Contains("Slave s1", diverged);
        Assert.Contains("other:5", diverged);
        Assert.Equal(0, await ReplicationProbe.CountEventsAsync(app.BaseAddress, "full-resync-start", "m1"));

        // The same boundary with the master's own last transaction: streaming continues from there.
        await using var slave = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s2");
        await slave.SendAsync(new TrySync(end, endLogical, lastId, end));
        var reply = await slave.ReceiveAsync<TrySyncReply>();
        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        Assert.Equal(end, reply.From);

        var later = await WriteKeysAsync(cluster.MasterResp, "later", 3);
        var batches = await slave.ReceiveBatchesAsync(3);
        Assert.Equal(endLogical, batches[0].StartLogical);
        var items = batches.SelectMany(b => b.Items).ToList();
        var expectedStart = end;
        for (int i = 0; i < items.Count; i++)
        {
            Assert.Equal(expectedStart, items[i].Start);
            Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(items[i].Encoded, out var item, out int itemBytes));
            Assert.Equal(items[i].Encoded.Length, itemBytes);
            Assert.Equal(new TransactionId("m1", lastId.Sequence + i + 1), item!.Id);
            var command = Assert.Single(item.Commands);
            Assert.Equal("SET", Encoding.UTF8.GetString(command[0]), ignoreCase: true);
            Assert.Equal($"later{i}", Encoding.UTF8.GetString(command[1]));
            Assert.Equal(later[$"later{i}"], Encoding.UTF8.GetString(command[2]));
            expectedStart = items[i].End;
        }
        // The stream ends exactly where the master's binlog ends now.
        var after = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        Assert.Equal(after["binlog_position"], items[^1].End.ToString());
    }

    [Fact]
    public async Task HelloWithAnotherClusterId_IsRefusedAsAnotherCluster_OnlyAfterTheSecret()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1", c => c.MasterResp);
        await using var app = started;
        string own = (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["cluster_id"];
        Assert.Matches("^[0-9a-f]{32}$", own);
        Assert.Equal(own, File.ReadAllText(Path.Combine(app.DataDir, "m1", "cluster-id")).Trim());
        string other = new('e', 32);

        // Without the secret, another cluster id learns nothing: the refusal is the secret's.
        await using (var impostor = await FakeSlave.ConnectAsync(cluster.MasterReplication))
        {
            var error = Assert.IsType<ErrorMessage>(await impostor.HandshakeAsync("wrong-secret", "s1", clusterId: other));
            Assert.Equal(ReplicationErrorCodes.Refused, error.Code);
            Assert.Contains("wrong replication secret", error.Message);
            Assert.DoesNotContain(own, error.Message);
        }

        // With the secret: refused as another cluster, both ids named; the master's greeting carried its own.
        await using (var stranger = await FakeSlave.ConnectAsync(cluster.MasterReplication))
        {
            var error = Assert.IsType<ErrorMessage>(await stranger.HandshakeAsync(ClusterConfig.Secret, "s1", clusterId: other));
            Assert.Equal(own, stranger.Greeting!.ClusterId);
            Assert.Equal(ReplicationErrorCodes.ClusterMismatch, error.Code);
            Assert.Contains(other, error.Message);
            Assert.Contains(own, error.Message);
            Assert.True(await stranger.ClosedByMasterWithinAsync(Deadline), "the master kept a slave of another cluster linked");
        }
        var diverged = await Convergence.WaitForEventAsync(app.BaseAddress, "history-diverged", Deadline, "m1", other);
        Assert.Contains("slave 's1'", diverged);

        // No id (a new slave, or an operator's full resync) and the master's own id are both welcomed.
        await using (var fresh = await FakeSlave.ConnectAsync(cluster.MasterReplication))
            Assert.IsType<Welcome>(await fresh.HandshakeAsync(ClusterConfig.Secret, "s1", clusterId: ""));
        await using (var member = await FakeSlave.ConnectAsync(cluster.MasterReplication))
            Assert.IsType<Welcome>(await member.HandshakeAsync(ClusterConfig.Secret, "s2", clusterId: own));
    }

    [Fact]
    public async Task WrongSecret_IsRefusedWithAClearError_SecretNotLogged()
    {
        const string wrongSecret = "wrong-secret-4f1c";
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1", c => c.MasterResp);
        await using var app = started;

        await using (var impostor = await FakeSlave.ConnectAsync(cluster.MasterReplication))
        {
            var error = Assert.IsType<ErrorMessage>(await impostor.HandshakeAsync(wrongSecret, "impostor"));
            Assert.Equal("REFUSED", error.Code);
            Assert.Contains("wrong replication secret", error.Message);
            Assert.DoesNotContain(ClusterConfig.Secret, error.Message);
            Assert.DoesNotContain(wrongSecret, error.Message);
            Assert.True(await impostor.ClosedByMasterWithinAsync(Deadline), "the master kept a refused link open");
        }
        var refusals = await Convergence.WaitForEventAsync(app.BaseAddress, "link-refused", Deadline, "m1");
        Assert.Contains("impostor", refusals);
        Assert.Contains("wrong replication secret", refusals);

        // The right secret on a new connection is welcomed and can sync.
        await using (var slave = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s1"))
        {
            await slave.SendAsync(new TrySync(BinlogPosition.Zero, 0, TransactionId.None, BinlogPosition.Zero));
            Assert.Equal(TrySyncOutcome.Continue, (await slave.ReceiveAsync<TrySyncReply>()).Outcome);
        }
        await ReplicationProbe.WaitForEventCountAsync(app.BaseAddress, "link-up", "m1", 1, Deadline);

        var events = await ReplicationProbe.AllEventsTextAsync(app.BaseAddress);
        Assert.Contains("Slave s1 connected", events);
        Assert.DoesNotContain(ClusterConfig.Secret, events);
        Assert.DoesNotContain(wrongSecret, events);
        Assert.DoesNotContain(ClusterConfig.Secret, app.Output);
        Assert.DoesNotContain(wrongSecret, app.Output);
    }

    [Fact]
    public async Task AckForARangeNeverSent_ResetsTheSession()
    {
        var (cluster, started) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1", c => c.MasterResp);
        await using var app = started;
        await WriteKeysAsync(cluster.MasterResp, "k", 3);

        await using var slave = await FakeSlave.ConnectAndWelcomeAsync(cluster.MasterReplication, ClusterConfig.Secret, "s1");
        await slave.SendAsync(new TrySync(BinlogPosition.Zero, 0, TransactionId.None, BinlogPosition.Zero));
        var reply = await slave.ReceiveAsync<TrySyncReply>();
        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        var items = (await slave.ReceiveBatchesAsync(3)).SelectMany(b => b.Items).ToList();
        Assert.Equal(reply.From, items[0].Start);

        // A correct ack is accepted: the master records it and keeps streaming.
        await slave.SendAsync(new Ack(items[0].Start, items[^1].End, items[^1].End, First: true));
        string logicalEnd = (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["master_repl_offset"];
        await Poll.UntilAsync(async () =>
            (await Convergence.InfoAsync(cluster.MasterResp, "replication")).GetValueOrDefault("slave0") is { } line
            && line.Contains("id=s1") && line.Contains($"offset={logicalEnd},"),
            $"the master records the ack up to logical offset {logicalEnd}", Deadline);
        await WriteKeysAsync(cluster.MasterResp, "more", 1);
        var next = Assert.Single(Assert.Single(await slave.ReceiveBatchesAsync(1)).Items);
        Assert.Equal(items[^1].End, next.Start);
        Assert.Equal("0", (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["repl_window_corruptions"]);

        // An ack for bytes that were never sent: window corruption, the session is reset.
        var neverSentStart = next.End with { Offset = next.End.Offset + 7 };
        var neverSentEnd = next.End with { Offset = next.End.Offset + 99 };
        await slave.SendAsync(new Ack(neverSentStart, neverSentEnd, next.End, First: false));
        Assert.True(await slave.ClosedByMasterWithinAsync(Deadline), "the master kept the link open after a forged ack");

        var corruption = await Convergence.WaitForEventAsync(app.BaseAddress, "window-corruption", Deadline, "m1");
        Assert.Contains("s1", corruption);
        var info = await Convergence.InfoAsync(cluster.MasterResp, "replication");
        Assert.Equal("1", info["repl_window_corruptions"]);
        await Poll.UntilAsync(async () =>
            (await Convergence.InfoAsync(cluster.MasterResp, "replication"))["connected_slaves"] == "0",
            "the reset link is removed from the master's slaves", Deadline);
    }

    /// <summary>SETs <paramref name="count"/> keys <c>prefix0..</c> on the master; returns them.</summary>
    private static async Task<Dictionary<string, string>> WriteKeysAsync(int respPort, string prefix, int count)
    {
        var written = new Dictionary<string, string>();
        using var client = await RespTestClient.ConnectAsync(respPort);
        for (int i = 0; i < count; i++)
        {
            string key = $"{prefix}{i}", value = $"value-{prefix}-{i}-{Guid.NewGuid():N}";
            Assert.Equal("OK", await client.CallAsync("SET", key, value));
            written[key] = value;
        }
        return written;
    }
}
