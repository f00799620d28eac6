using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// The master's end of one replication link (docs/REPLICATION.md, workflow 3): handshake, TrySync, an
/// optional snapshot, then the binlog stream inside the sync window while acks are checked against it.
/// </summary>
public sealed class MasterSyncSession(DataNode master, ConnectionContext connection, ILogger logger)
{
    private const int MaxBatchItems = 256;
    private const int MaxBatchBytes = 1024 * 1024;
    private const int SnapshotChunkBytes = 1024 * 1024;
    // How long a Hello for an id whose link is being torn down waits for it to go (a slave that reconnects at once).
    private static readonly TimeSpan DuplicateGrace = TimeSpan.FromSeconds(1);
    // An Error frame to a peer that does not read must not hold the session open.
    private static readonly TimeSpan RefusalSendTimeout = TimeSpan.FromSeconds(1);

    private readonly FrameChannel _channel = new(connection.Transport.Input, connection.Transport.Output, master.Time);
    private readonly ReplicationSettings _replication = master.Settings.Replication;
    private readonly SemaphoreSlim _windowSignal = new(0);
    private SyncWindow _window = null!;
    private SlaveLink? _link;

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var timeout = master.Time.Deadline(_replication.LinkTimeout, cancellation);
        var slaveId = await HandshakeAsync(cancellation); // registers _link, one per slave id, before it welcomes
        _link!.Protect(master.ShippableEnd); // until TrySync says where this slave continues
        try
        {
            master.PublishEvent("link-up", $"Slave {slaveId} connected from {_link.Address}.");
            var request = await _channel.ReceiveAsync<TrySync>(timeout.Token);
            var from = await AnswerTrySyncAsync(slaveId, request, cancellation);
            _window = new SyncWindow(_replication.WindowItems, _replication.WindowBytes);
            _window.Reset(from);
            _link.MoveTo("streaming");
            master.OnSlaveLinksChanged(); // a slave that is caught up already counts for semi-sync
            await SessionLoops.RunAsync(cancellation,
                token => SendLoopAsync(slaveId, from, token),
                token => ReceiveLoopAsync(slaveId, token),
                token => _channel.SendHeartbeatsAsync(_replication.LinkTimeout / 3,
                    () => new Heartbeat(master.Time.GetUtcNow().ToUnixTimeMilliseconds(), master.ShippableEnd), token),
                token => WatchLinkAsync(slaveId, token),
                AnswerAckRequestsAsync);
        }
        finally
        {
            master.RemoveSlaveLink(_link);
            master.PublishEvent("link-down", $"Slave {slaveId} disconnected.");
        }
    }

    /// <summary>
    /// Greeting, Hello, Welcome: the peer proves the secret, names a slave id this master's configuration accepts and
    /// that no other link holds; the link is registered before the Welcome goes out. Until then the peer is a
    /// stranger: its frames may be at most <see cref="ReplicationCodec.MaxHandshakeFrameBytes"/> and it has
    /// HandshakeTimeout (default 5 s), not the link timeout, to finish. Every refusal is an Error frame and a
    /// link-refused event (docs/REPLICATION-PROTOCOL.md, "Who may link").
    /// </summary>
    private async Task<string> HandshakeAsync(CancellationToken cancellation)
    {
        _channel.MaxFrameBytes = ReplicationCodec.MaxHandshakeFrameBytes;
        using var deadline = new CancellationTokenSource(_replication.HandshakeTimeout, master.Time);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellation, deadline.Token);
        try
        {
            var nonce = HandshakeProof.NewNonce();
            string clusterId = master.ClusterId ?? throw new InvalidOperationException($"master {master.Id} has no cluster id");
            await _channel.SendAsync(new Greeting(ReplicationCodec.ProtocolVersion, master.Id, nonce, clusterId), handshake.Token);
            var hello = await _channel.ReceiveAsync<Hello>(handshake.Token);
            // Authentication first: a peer without the secret learns nothing about which ids are configured.
            string? refusal =
                hello.Version != ReplicationCodec.ProtocolVersion ? $"protocol version {hello.Version} is not {ReplicationCodec.ProtocolVersion}"
                : hello.ExpectedMasterId != master.Id ? $"this is node {master.Id}, not {hello.ExpectedMasterId}"
                : hello.Proof.Length != 32 || !HandshakeProof.Verify(_replication.Secret, nonce, hello.Proof) ? "wrong replication secret"
                : !master.AcceptsSlave(hello.SlaveId)
                    ? $"slave id '{Truncate(hello.SlaveId)}' is not configured for master {master.Id} (list it in ReplDash:Nodes with "
                      + $"Master \"{master.Id}\", or in ReplDash:Replication:AllowedSlaves on the master)"
                : null;
            if (refusal is not null)
                throw await RefuseAsync(hello.SlaveId, refusal, cancellation);
            if (hello.ClusterId.Length > 0 && hello.ClusterId != clusterId)
                throw await RefuseOtherClusterAsync(hello, clusterId, cancellation);
            var (link, holder) = await RegisterLinkAsync(hello.SlaveId, handshake.Token);
            if (link is null)
                throw await RefuseAsync(hello.SlaveId,
                    $"slave {hello.SlaveId} is already connected (from {holder?.Address ?? "?"} since {holder?.ConnectedAt:HH:mm:ss}Z); "
                    + "a second link for one slave id is refused while the first is up (a dead link is dropped after the link timeout)",
                    cancellation);
            _link = link;
            try
            {
                await _channel.SendAsync(new Welcome(master.Id), handshake.Token);
            }
            catch
            {
                master.RemoveSlaveLink(link);
                throw;
            }
            _channel.MaxFrameBytes = ReplicationCodec.MaxFrameBytes; // authenticated: the protocol's own limit from now on
            return hello.SlaveId;
        }
        catch (InvalidFrameException e)
        {
            throw await RefuseAsync(null,
                $"{e.Message} before the handshake completed (a handshake frame is at most {ReplicationCodec.MaxHandshakeFrameBytes} bytes)", cancellation);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw await RefuseAsync(null, $"no handshake within {_replication.HandshakeTimeout.TotalSeconds:0.###} s (ReplDash:Replication:HandshakeTimeoutSeconds)",
                cancellation);
        }
    }

    /// <summary>
    /// Registers this link for <paramref name="slaveId"/> unless another link holds that id. A slave that reconnects at
    /// once after its old link broke may find the old link still being torn down: it gets a short grace for that
    /// link to go. A live link keeps its id (a link that is dead without a close is dropped by the link timeout, and
    /// the slave's next attempt gets in): a second claimant, whatever secret it proved, never displaces it.
    /// </summary>
    private async Task<(SlaveLink? Link, SlaveLink? Holder)> RegisterLinkAsync(string slaveId, CancellationToken cancellation)
    {
        long started = master.Time.GetTimestamp();
        while (true)
        {
            var removed = master.SlaveLinkRemoved; // taken before trying, so a removal in between is not missed
            if (master.TryAddSlaveLink(slaveId, RemoteAddress, out var holder) is { } link)
                return (link, null);
            var left = DuplicateGrace - master.Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                return (null, holder);
            try
            {
                await removed.WaitAsync(left, master.Time, cancellation);
            }
            catch (TimeoutException)
            {
                // The grace is over: the last attempt decides.
            }
        }
    }

    /// <summary>
    /// Refuses the handshake: a link-refused event naming the peer and the reason (never the secret or the proof),
    /// then an Error frame, sent on a best-effort basis (the peer may not read). Returns the exception that ends the session.
    /// </summary>
    private async Task<IOException> RefuseAsync(string? slaveId, string reason, CancellationToken cancellation,
        string code = ReplicationErrorCodes.Refused, string eventKind = "link-refused")
    {
        string who = slaveId is null ? $"a connection from {RemoteAddress}" : $"slave '{Truncate(slaveId)}' from {RemoteAddress}";
        master.PublishEvent(eventKind, $"Refused {who}: {reason}.");
        using var sendLimit = new CancellationTokenSource(RefusalSendTimeout, master.Time);
        using var send = CancellationTokenSource.CreateLinkedTokenSource(cancellation, sendLimit.Token);
        try
        {
            await _channel.SendAsync(new ErrorMessage(code, reason), send.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException or ObjectDisposedException)
        {
            // The peer is gone or does not read: the session ends anyway.
        }
        return new IOException($"handshake refused: {reason}");
    }

    /// <summary>
    /// The slave proved the secret but holds another cluster's data: streaming this master's binlog into it would mix two
    /// histories (two clusters can both have a master named m1 and transaction m1:10). Refused like diverged history:
    /// the slave keeps its data and waits for an operator's full resync, whose Hello carries no cluster id.
    /// </summary>
    private Task<IOException> RefuseOtherClusterAsync(Hello hello, string clusterId, CancellationToken cancellation) =>
        RefuseAsync(hello.SlaveId,
            $"it holds data of cluster {Truncate(hello.ClusterId)}, this master's cluster is {clusterId} "
            + $"(a full resync of {Truncate(hello.SlaveId)}, requested by an operator, replaces its data with this cluster's)",
            cancellation, ReplicationErrorCodes.ClusterMismatch, "history-diverged");

    private string RemoteAddress => (connection.RemoteEndPoint as IPEndPoint)?.ToString() ?? "?";

    private async Task<BinlogPosition> AnswerTrySyncAsync(string slaveId, TrySync request, CancellationToken cancellation)
    {
        TrySyncReply decision;
        await master.TrySyncGate.WaitAsync(cancellation);
        try
        {
            decision = DecideTrySync(request);
            master.PublishEvent("trysync", $"Slave {slaveId} TrySync at {request.Received} (last {request.LastReceived}): {decision.Outcome}, {decision.Reason}.");
            if (decision.Outcome == TrySyncOutcome.SendBack)
            {
                // Lesson L5: the slave holds what this master lost; take it back before anything else.
                _link!.MoveTo("sending-back");
                await _channel.SendAsync(decision, cancellation);
                decision = await MasterTailRecovery.TakeBackAsync(master, _channel, slaveId, request, decision, DecideTrySync,
                    _replication.LinkTimeout, cancellation);
                master.PublishEvent("trysync", $"Slave {slaveId} after sending back: {decision.Outcome}, {decision.Reason}.");
            }
            if (decision.Outcome == TrySyncOutcome.Continue)
                // The slave synced its relay log up to the TrySync position before asking: it holds it durably.
                _link!.WindowMoved(decision.From, decision.From, 0, 0);
            master.OnSlaveReported(slaveId);
            if (decision.Outcome == TrySyncOutcome.Diverged)
            {
                // Lesson L5: never overwrite what the slave holds; stop this link and let an operator decide. Reported
                // before the answer is sent: a slave that could not send back has already closed its side.
                master.PublishEvent("history-diverged", $"Slave {slaveId} holds history this master cannot verify as its own: {decision.Reason}.");
                logger.LogWarning("Master {Master}: slave {SlaveId} holds another history: {Reason}", master.Id, slaveId, decision.Reason);
            }
            await _channel.SendAsync(decision, cancellation);
        }
        finally
        {
            master.TrySyncGate.Release();
        }
        if (decision.Outcome == TrySyncOutcome.Diverged)
            throw new HistoryDivergedException(decision.Reason);
        if (decision.Outcome == TrySyncOutcome.Continue)
            return decision.From;
        return await SendSnapshotAsync(slaveId, cancellation);
    }

    /// <summary>
    /// TrySyncRules on this master's binlog. Reading the binlog to judge the position can meet damage that was not
    /// known yet: it is marked like damage found while shipping, and this slave gets a full resync.
    /// </summary>
    private TrySyncReply DecideTrySync(TrySync request)
    {
        try
        {
            return master.DecideTrySync(request);
        }
        catch (BinlogCorruptException damage)
        {
            return new TrySyncReply(TrySyncOutcome.FullResync, master.ShippableEnd, master.ReportShippingDamage(damage));
        }
    }

    /// <summary>Full resync: a consistent snapshot tagged with its binlog position; streaming continues from the tag.</summary>
    private async Task<BinlogPosition> SendSnapshotAsync(string slaveId, CancellationToken cancellation)
    {
        _link!.MoveTo("full-resync");
        _link!.AwaitFirstAck(); // the snapshot's tag is not in the slave's store until it acknowledges
        var (entries, digest, tag, tagLogical, tagId) = await master.SnapshotAsync();
        _link.Protect(tag);
        master.PublishEvent("full-resync-start", $"Full resync of {slaveId}: {entries.Count} keys at {tag}.");
        await _channel.SendAsync(new SnapshotBegin(tag, tagLogical, tagId, entries.Count), cancellation);
        var chunk = new List<Core.Keyspace.StoredEntry>();
        long chunkBytes = 0, sent = 0;
        foreach (var entry in entries)
        {
            // A chunk carries one database's keys (ReplicationCodec).
            if (chunk.Count > 0 && chunk[0].Database != entry.Database)
            {
                await _channel.SendAsync(new SnapshotChunk(chunk), cancellation);
                sent += chunk.Count;
                chunk = new();
                chunkBytes = 0;
            }
            chunk.Add(entry);
            chunkBytes += entry.Key.Length + (entry.Value?.Length ?? 0) + 17;
            if (chunkBytes >= SnapshotChunkBytes)
            {
                await _channel.SendAsync(new SnapshotChunk(chunk), cancellation);
                sent += chunk.Count;
                chunk = new();
                chunkBytes = 0;
                if (sent % 50_000 < chunk.Count + 1)
                    master.PublishEvent("full-resync-progress", $"Full resync of {slaveId}: {sent} of {entries.Count} keys sent.");
            }
        }
        if (chunk.Count > 0)
            await _channel.SendAsync(new SnapshotChunk(chunk), cancellation);
        await _channel.SendAsync(new SnapshotEnd(digest), cancellation);
        master.PublishEvent("full-resync-end", $"Full resync of {slaveId}: snapshot of {entries.Count} keys sent; streaming from {tag}.");
        return tag;
    }

    /// <summary>
    /// Ships durable items from <paramref name="from"/> in batches, never beyond the sync window. An item that fails
    /// its checksum stops the session with a named error on both sides (BINLOG_DAMAGED and the position); the
    /// master marks the range, so the slave's next TrySync gets a full resync instead of hitting it again.
    /// </summary>
    private async Task SendLoopAsync(string slaveId, BinlogPosition from, CancellationToken cancellation)
    {
        try
        {
            await ShipAsync(from, cancellation);
        }
        catch (BinlogCorruptException damage)
        {
            var text = master.ReportShippingDamage(damage);
            master.PublishEvent("link-error", $"Stopped streaming to {slaveId}: {ReplicationErrorCodes.BinlogDamaged}: {text}.");
            logger.LogWarning("Stopped streaming to slave {SlaveId}: {Damage}", slaveId, text);
            await _channel.SendAsync(new ErrorMessage(ReplicationErrorCodes.BinlogDamaged, text), cancellation);
            throw new IOException($"{ReplicationErrorCodes.BinlogDamaged}: {text}", damage);
        }
    }

    private async Task ShipAsync(BinlogPosition from, CancellationToken cancellation)
    {
        // Catch-up reads the binlog files (checksums verified); once caught up, each group comes from the flusher's memory.
        using var tail = master.OpenTail(from);
        long logical = master.LogicalOffsetOf(from);
        var batch = new List<ShippedItem>();
        long batchBytes = 0, batchLogical = logical;
        ShippedItem? held = null;
        while (!cancellation.IsCancellationRequested)
        {
            ShippedItem item;
            if (held is { } waiting)
                item = waiting;
            else if (!tail.TryReadNext(master.ShippableEnd, out item))
            {
                if (batch.Count > 0)
                    await FlushAsync();
                else
                    await master.WaitShippableBeyondAsync(tail.Position).WaitAsync(cancellation);
                continue;
            }
            bool room;
            lock (_window)
            {
                room = _window.HasRoomFor(item.Encoded.Length);
                if (room)
                {
                    _window.Sent(item.Start, item.End, item.Encoded.Length, master.Time.MonotonicMicroseconds());
                    UpdateLink();
                }
            }
            if (!room)
            {
                held = item;
                if (batch.Count > 0)
                    await FlushAsync();
                // Room comes only with an ack (which releases the signal); a slave that stops acking is dropped by
                // the link timeout, which cancels this wait.
                await _windowSignal.WaitAsync(cancellation);
                continue;
            }
            held = null;
            if (batch.Count == 0)
                batchLogical = logical;
            batch.Add(item);
            batchBytes += item.Encoded.Length;
            logical += item.Encoded.Length;
            if (batch.Count >= MaxBatchItems || batchBytes >= MaxBatchBytes)
                await FlushAsync();
        }

        async Task FlushAsync()
        {
            bool ackNow;
            lock (_window)
                ackNow = _window.IsHalfFull;
            ackNow |= master.WaitsForAcks;
            await _channel.SendAsync(new ItemBatch(batchLogical, batch.ToArray(), ackNow), cancellation);
            batch.Clear();
            batchBytes = 0;
        }
    }

    /// <summary>A WAIT wants acks for items already sent: an empty batch asking for an ack at once.</summary>
    private async Task AnswerAckRequestsAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            await master.PromptAckRequested.WaitAsync(cancellation);
            bool inFlight;
            lock (_window)
                inFlight = _window.InFlightItems > 0;
            if (inFlight)
                await _channel.SendAsync(new ItemBatch(0, [], AckNow: true), cancellation);
        }
    }

    private async Task WatchLinkAsync(string slaveId, CancellationToken cancellation)
    {
        try
        {
            await _channel.WatchReceivesAsync(_replication.LinkTimeout, cancellation);
        }
        catch (LinkTimeoutException e)
        {
            master.PublishEvent("link-timeout", $"Slave {slaveId}: {e.Message}; dropping the link.");
            throw;
        }
    }

    private async Task ReceiveLoopAsync(string slaveId, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            var message = await _channel.ReceiveAsync(cancellation);
            _link!.Heard(master.Time.GetUtcNow());
            switch (message)
            {
                case Ack ack:
                    CheckAck(slaveId, ack);
                    break;
                case Heartbeat heartbeat:
                    _link.ReportedApplied(heartbeat.Position);
                    break;
                case CheckResultMessage checkResult:
                    master.ReceiveCheckResult(slaveId, checkResult.Result);
                    break;
                default:
                    throw new IOException($"unexpected {message.GetType().Name} from slave {slaveId}");
            }
        }
    }

    /// <summary>An ack must release exactly a prefix of the window; anything else resets the session (never trusted).</summary>
    private void CheckAck(string slaveId, Ack ack)
    {
        AckCheck check;
        lock (_window)
        {
            long inFlightBytesBefore = _window.InFlightBytes;
            check = _window.Ack(ack.RangeStart, ack.RangeEnd, master.Time.MonotonicMicroseconds());
            if (check.Valid)
            {
                _link!.Acknowledged(ack.Applied, check.Latency / 1000, check.ItemsAcked, inFlightBytesBefore - _window.InFlightBytes);
                UpdateLink();
            }
        }
        if (!check.Valid)
        {
            _link!.CountWindowCorruption();
            master.CountWindowCorruption();
            master.PublishEvent("window-corruption", $"SyncWin corruption with slave {slaveId}: {check.Problem}. Resetting the session.");
            logger.LogWarning("Sync window corruption with slave {SlaveId}: {Problem}", slaveId, check.Problem);
            throw new IOException($"sync window corruption: {check.Problem}");
        }
        _windowSignal.Release();
        master.OnSlaveAck(slaveId, check.Latency);
    }

    // Under the window's lock: the link's copy of the window moves in the window's order.
    private void UpdateLink() => _link!.WindowMoved(_window.SentEnd, _window.AckedEnd, _window.InFlightItems, _window.InFlightBytes);

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64];
}
