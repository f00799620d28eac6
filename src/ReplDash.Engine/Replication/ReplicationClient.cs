using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// A slave's link to its master (docs/REPLICATION.md, workflow 3): connect, prove the secret, drain the
/// applies in flight, TrySync from the durable relay end, load a snapshot when told to, then receive
/// items and acknowledge each range once the relay log holds it durably (at once when the master asks, otherwise
/// coalesced for up to AckCoalesceMs). Reconnects with capped backoff.
/// </summary>
public sealed class ReplicationClient(DataNode node, NodeSettings settings, IEngineEventSink events, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly ReplicationSettings _replication = settings.Replication;
    private readonly CancellationTokenSource _stopping = new();
    private readonly AckPacer _acks = new(TimeSpan.FromMilliseconds(settings.Replication.AckCoalesceMs), time);
    private Task? _task;
    private CancellationTokenSource? _session;

    /// <summary>connecting, handshake, draining, full-resync, streaming or down.</summary>
    public string State { get; private set; } = "connecting";

    /// <summary>When the master was last heard from.</summary>
    public DateTimeOffset? LastHeard { get; private set; }

    /// <summary>The master's shippable end, from its heartbeats and batches (for lag).</summary>
    public BinlogPosition MasterEnd { get; private set; }

    /// <summary>End of the last range acknowledged to the master.</summary>
    public BinlogPosition AckedEnd { get; private set; }

    /// <summary>Why the link last went down.</summary>
    public string? LastError { get; private set; }

    /// <summary>Links established since start.</summary>
    public long Sessions { get; private set; }

    public string MasterHost => _replication.MasterHost ?? "127.0.0.1";
    public int MasterPort => _replication.MasterPort;

    public void Start() => _task = Task.Run(RunAsync);

    public void Stop()
    {
        _stopping.Cancel();
        try
        {
            _task?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>Closes the current link (fault point CutLink, or an operator's resync).</summary>
    public void CutLink() => _session?.Cancel();

    private volatile bool _fullResyncRequested;

    /// <summary>An operator asked for a full resync: the next TrySync asks for a snapshot, whatever the position.</summary>
    public void RequestFullResync()
    {
        _fullResyncRequested = true;
        Publish("full-resync-requested", "An operator asked for a full resync; reconnecting.");
        CutLink();
    }

    private async Task RunAsync()
    {
        var backoff = MinBackoff;
        while (!_stopping.IsCancellationRequested)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _session = session;
            bool streamed = false;
            try
            {
                streamed = await SessionAsync(session.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException
                                          or NodeUnavailableException or ObjectDisposedException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                LastError = e.Message;
                logger.LogInformation("Replication link of {Node} to {Host}:{Port} down: {Reason}", node.Id, MasterHost, MasterPort, e.Message);
            }
            if (State != "down" && State != "connecting")
                Publish("link-down", $"Link to master {MasterHost}:{MasterPort} down: {LastError}.");
            State = "down";
            if (node.State != NodeState.Running)
                return;
            backoff = streamed ? MinBackoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            try
            {
                await Task.Delay(backoff, time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One link from connect to drop. Returns true when it reached streaming.</summary>
    private async Task<bool> SessionAsync(CancellationToken cancellation)
    {
        // Lesson L1: whatever the previous session left in flight is finished before this one reports a
        // position. Done before connecting, so a long apply cannot time out the new handshake.
        if (!settings.Faults.UnsafeFirstAckWithoutDrain)
        {
            State = "draining";
            await node.DrainAppliesAsync().WaitAsync(cancellation);
        }
        State = "connecting";
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            connect.CancelAfter(_replication.LinkTimeout);
            await socket.ConnectAsync(MasterHost, MasterPort, connect.Token);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var channel = new FrameChannel(PipeReader.Create(stream), PipeWriter.Create(stream));

        State = "handshake";
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            handshake.CancelAfter(_replication.LinkTimeout);
            var greeting = await channel.ReceiveAsync<Greeting>(handshake.Token);
            var proof = HandshakeProof.Compute(_replication.Secret, greeting.Nonce);
            await channel.SendAsync(new Hello(ReplicationCodec.ProtocolVersion, node.Id, _replication.MasterId ?? greeting.MasterId, proof), handshake.Token);
            try
            {
                await channel.ReceiveAsync<Welcome>(handshake.Token);
            }
            catch (ReplicationRefusedException refused)
            {
                Publish("link-refused", $"Master {MasterHost}:{MasterPort} refused the link: {refused.Message}.");
                throw;
            }
        }
        Sessions++;
        Publish("link-up", $"Linked to master {MasterHost}:{MasterPort}.");

        var request = await PrepareTrySyncAsync(cancellation);
        await channel.SendAsync(request, cancellation);
        var reply = await channel.ReceiveAsync<TrySyncReply>(cancellation);
        Publish("trysync", $"TrySync at {request.Received}: {reply.Outcome} ({reply.Reason}).");
        var from = reply.From;
        if (reply.Outcome != TrySyncOutcome.Continue)
        {
            State = "full-resync";
            from = await node.LoadSnapshotAsync(channel, cancellation);
            _fullResyncRequested = false;
        }

        State = "streaming";
        AckedEnd = from;
        SessionReceivedEnd = from;
        await SessionLoops.RunAsync(cancellation,
            token => ReceiveLoopAsync(channel, token),
            token => AckLoopAsync(channel, from, token),
            token => channel.SendHeartbeatsAsync(_replication.LinkTimeout / 3,
                () => new Heartbeat(time.GetUtcNow().ToUnixTimeMilliseconds(), node.Applied), token),
            token => WatchLinkAsync(channel, token),
            token => SendCheckResultsAsync(channel, token));
        return true;
    }

    /// <summary>Sends the results of check markers this slave applied back to the master (docs/CONSISTENCY.md).</summary>
    private async Task SendCheckResultsAsync(FrameChannel channel, CancellationToken cancellation)
    {
        while (await node.CheckResultOutbox.WaitToReadAsync(cancellation))
            while (node.CheckResultOutbox.TryRead(out var result))
                await channel.SendAsync(new CheckResultMessage(result), cancellation);
    }

    /// <summary>
    /// Lesson L1: the position reported in TrySync (and so the first ack) is computed only after every
    /// apply in flight has finished and the relay log is durable, so it names exactly what the slave holds.
    /// The unsafe legacy switch reports the applied position at once, as Pika did.
    /// </summary>
    private async Task<TrySync> PrepareTrySyncAsync(CancellationToken cancellation)
    {
        if (settings.Faults.UnsafeFirstAckWithoutDrain)
        {
            var positions = node.Positions();
            return new TrySync(positions.Applied, positions.AppliedLogical, positions.LastApplied, positions.Applied);
        }
        // The applies in flight were drained before connecting (SessionAsync); nothing has arrived since.
        var (received, receivedLogical, lastReceived, appliedNow) = node.ReceivedState();
        await node.WaitRelaySyncedAsync(received).WaitAsync(cancellation);
        return new TrySync(received, receivedLogical, lastReceived, appliedNow, _fullResyncRequested);
    }

    // End of the last item received in this session; written by the receive loop, read by the ack loop.
    // A position is two longs, so it is read and written under a lock (a torn read would be a bogus ack).
    private readonly object _receivedGate = new();
    private BinlogPosition _sessionReceivedEnd;

    private BinlogPosition SessionReceivedEnd
    {
        get { lock (_receivedGate) return _sessionReceivedEnd; }
        set { lock (_receivedGate) _sessionReceivedEnd = value; }
    }

    private async Task ReceiveLoopAsync(FrameChannel channel, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            var message = await channel.ReceiveAsync(cancellation);
            LastHeard = time.GetUtcNow();
            switch (message)
            {
                case ItemBatch batch when batch.Items.Count > 0:
                    node.Receive(batch);
                    SessionReceivedEnd = batch.Items[^1].End;
                    if (batch.Items[^1].End > MasterEnd)
                        MasterEnd = batch.Items[^1].End;
                    _acks.Arrived(batch.AckNow);
                    break;
                case ItemBatch { AckNow: true }:
                    // A WAIT on the master wants the ack of what was already received.
                    _acks.Arrived(ackNow: true);
                    break;
                case Heartbeat heartbeat:
                    // A heartbeat built just before a batch went out may arrive after it: never step back.
                    if (heartbeat.Position > MasterEnd)
                        MasterEnd = heartbeat.Position;
                    break;
                case ItemBatch:
                    break;
                default:
                    throw new IOException($"unexpected {message.GetType().Name} from the master");
            }
            if (node.Faults.TryHit(FaultPoint.CutLink, out _))
                throw new IOException("link cut by fault injection");
        }
    }

    private async Task WatchLinkAsync(FrameChannel channel, CancellationToken cancellation)
    {
        try
        {
            await channel.WatchReceivesAsync(_replication.LinkTimeout, cancellation);
        }
        catch (LinkTimeoutException e)
        {
            Publish("link-timeout", $"Master: {e.Message}; reconnecting.");
            throw;
        }
    }

    /// <summary>
    /// Acknowledges contiguous ranges once durable in the relay log, when <see cref="AckPacer"/> says an ack is due
    /// (heartbeats go out while nothing else does).
    /// </summary>
    private async Task AckLoopAsync(FrameChannel channel, BinlogPosition from, CancellationToken cancellation)
    {
        var ackStart = from;
        bool first = true;
        while (!cancellation.IsCancellationRequested)
        {
            await _acks.WhenAckDueAsync(cancellation);
            var end = SessionReceivedEnd;
            if (end <= ackStart)
                continue;
            await node.WaitRelaySyncedAsync(BinlogPosition.Min(end, node.ReceivedState().Received)).WaitAsync(cancellation);
            node.Faults.CrashIfArmed(FaultPoint.CrashAfterRelayWriteBeforeAck);
            await node.Faults.WhileArmedAsync(FaultPoint.HoldAcks, cancellation);
            if (node.Faults.TryHit(FaultPoint.DropAcks, out _))
                continue; // the next ack covers this range too
            if (node.Faults.TryHit(FaultPoint.DelayAcks, out int delayMs))
                await Task.Delay(delayMs, cancellation);
            if (node.Faults.TryHit(FaultPoint.ForgeAck, out _))
            {
                // A range the master never sent: it must detect window corruption and reset the session.
                await channel.SendAsync(new Ack(end with { Offset = end.Offset + 7 }, end with { Offset = end.Offset + 99 }, node.Applied, first), cancellation);
                continue;
            }
            await channel.SendAsync(new Ack(ackStart, end, node.Applied, first), cancellation);
            first = false;
            ackStart = end;
            AckedEnd = end;
        }
    }

    private void Publish(string kind, string message) => events.Publish(new EngineEvent(time.GetUtcNow(), node.Id, kind, message));
}
