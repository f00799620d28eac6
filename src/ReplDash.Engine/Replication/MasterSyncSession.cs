using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
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

    private readonly FrameChannel _channel = new(connection.Transport.Input, connection.Transport.Output);
    private readonly ReplicationSettings _replication = master.Settings.Replication;
    private readonly SemaphoreSlim _windowSignal = new(0);
    private SyncWindow _window = null!;
    private SlaveLinkStatus? _link;

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_replication.LinkTimeout);
        var slaveId = await HandshakeAsync(timeout.Token);
        _link = master.AddSlaveLink(slaveId, (connection.RemoteEndPoint as IPEndPoint)?.ToString() ?? "?");
        lock (_link)
            _link.ProtectFrom = master.ShippableEnd; // until TrySync says where this slave continues
        try
        {
            master.PublishEvent("link-up", $"Slave {slaveId} connected from {_link.Address}.");
            var request = await _channel.ReceiveAsync<TrySync>(timeout.Token);
            var from = await AnswerTrySyncAsync(slaveId, request, cancellation);
            _window = new SyncWindow(_replication.WindowItems, _replication.WindowBytes);
            _window.Reset(from);
            _link.State = "streaming";
            master.OnSlaveLinksChanged(); // a slave that is caught up already counts for semi-sync
            await SessionLoops.RunAsync(cancellation,
                token => SendLoopAsync(from, token),
                token => ReceiveLoopAsync(slaveId, token),
                token => _channel.SendHeartbeatsAsync(_replication.LinkTimeout / 3, () => new Heartbeat(NowMs(), master.ShippableEnd), token),
                token => WatchLinkAsync(slaveId, token),
                AnswerAckRequestsAsync);
        }
        finally
        {
            master.RemoveSlaveLink(_link);
            master.PublishEvent("link-down", $"Slave {slaveId} disconnected.");
        }
    }

    private async Task<string> HandshakeAsync(CancellationToken cancellation)
    {
        var nonce = HandshakeProof.NewNonce();
        await _channel.SendAsync(new Greeting(ReplicationCodec.ProtocolVersion, master.Id, nonce), cancellation);
        var hello = await _channel.ReceiveAsync<Hello>(cancellation);
        string? refusal =
            hello.Version != ReplicationCodec.ProtocolVersion ? $"protocol version {hello.Version} is not {ReplicationCodec.ProtocolVersion}"
            : hello.ExpectedMasterId != master.Id ? $"this is node {master.Id}, not {hello.ExpectedMasterId}"
            : hello.Proof.Length != 32 || !HandshakeProof.Verify(_replication.Secret, nonce, hello.Proof) ? "wrong replication secret"
            : null;
        if (refusal is not null)
        {
            // The event names the slave and the reason, never the secret or the proof.
            master.PublishEvent("link-refused", $"Refused slave '{Truncate(hello.SlaveId)}': {refusal}.");
            await _channel.SendAsync(new ErrorMessage("REFUSED", refusal), cancellation);
            throw new IOException($"handshake refused: {refusal}");
        }
        await _channel.SendAsync(new Welcome(master.Id), cancellation);
        return hello.SlaveId;
    }

    private async Task<BinlogPosition> AnswerTrySyncAsync(string slaveId, TrySync request, CancellationToken cancellation)
    {
        var decision = TrySyncRules.Decide(request, master.BinlogView());
        if (decision.Outcome == TrySyncOutcome.Continue)
            lock (_link!)
                _link.ProtectFrom = decision.From;
        master.PublishEvent("trysync", $"Slave {slaveId} TrySync at {request.Received} (last {request.LastReceived}): {decision.Outcome}, {decision.Reason}.");
        if (decision.Outcome == TrySyncOutcome.Continue)
        {
            await _channel.SendAsync(decision, cancellation);
            return decision.From;
        }
        await _channel.SendAsync(decision, cancellation);
        return await SendSnapshotAsync(slaveId, cancellation);
    }

    /// <summary>Full resync: a consistent snapshot tagged with its binlog position; streaming continues from the tag.</summary>
    private async Task<BinlogPosition> SendSnapshotAsync(string slaveId, CancellationToken cancellation)
    {
        _link!.State = "full-resync";
        var (entries, digest, tag, tagLogical, tagId) = await master.SnapshotAsync();
        lock (_link)
            _link.ProtectFrom = tag;
        master.PublishEvent("full-resync-start", $"Full resync of {slaveId}: {entries.Count} keys at {tag}.");
        await _channel.SendAsync(new SnapshotBegin(tag, tagLogical, tagId, entries.Count), cancellation);
        var chunk = new List<Core.Keyspace.StoredEntry>();
        long chunkBytes = 0, sent = 0;
        foreach (var entry in entries)
        {
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

    /// <summary>Ships durable items from <paramref name="from"/> in batches, never beyond the sync window.</summary>
    private async Task SendLoopAsync(BinlogPosition from, CancellationToken cancellation)
    {
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
                    _window.Sent(item.Start, item.End, item.Encoded.Length, MonotonicClock.NowUs());
                    UpdateLink();
                }
            }
            if (!room)
            {
                held = item;
                if (batch.Count > 0)
                    await FlushAsync();
                await _windowSignal.WaitAsync(_replication.LinkTimeout, cancellation);
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
            _link!.LastHeard = DateTimeOffset.UtcNow;
            switch (message)
            {
                case Ack ack:
                    CheckAck(slaveId, ack);
                    break;
                case Heartbeat heartbeat:
                    lock (_link)
                        _link.SlaveApplied = heartbeat.Position;
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
            check = _window.Ack(ack.RangeStart, ack.RangeEnd, MonotonicClock.NowUs());
            if (check.Valid)
            {
                lock (_link!)
                {
                    _link.SlaveApplied = ack.Applied;
                    _link.LastAckLatencyMs = check.Latency / 1000;
                    // The dashboard draws each ack's width against the window (an ack wider than it is abnormal).
                    _link.LastAckRangeItems = check.ItemsAcked;
                    _link.LastAckRangeBytes = inFlightBytesBefore - _window.InFlightBytes;
                }
                UpdateLink();
            }
        }
        if (!check.Valid)
        {
            Interlocked.Increment(ref _link!.WindowCorruptions);
            master.CountWindowCorruption();
            master.PublishEvent("window-corruption", $"SyncWin corruption with slave {slaveId}: {check.Problem}. Resetting the session.");
            logger.LogWarning("Sync window corruption with slave {SlaveId}: {Problem}", slaveId, check.Problem);
            throw new IOException($"sync window corruption: {check.Problem}");
        }
        _windowSignal.Release();
        master.OnSlaveAck(slaveId, check.Latency);
    }

    private void UpdateLink()
    {
        lock (_link!)
        {
            _link.SentEnd = _window.SentEnd;
            _link.AckedEnd = _window.AckedEnd;
            _link.ProtectFrom = _window.AckedEnd;
            _link.InFlightItems = _window.InFlightItems;
            _link.InFlightBytes = _window.InFlightBytes;
        }
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64];
}
