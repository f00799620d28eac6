using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// A slave's link to its master (docs/REPLICATION.md, workflow 3): connect, prove the secret, drain the
/// applies in flight, TrySync from the durable relay end, load a snapshot when told to, then hand the link to a
/// <see cref="SlaveDriver"/>, whose <see cref="Core.Protocol.SlaveMachine"/> receives items and acknowledges each range
/// once the relay log holds it durably (at once when the master asks, otherwise coalesced for up to AckCoalesceMs).
/// Reconnects with capped backoff.
/// </summary>
public sealed class ReplicationClient(DataNode node, NodeSettings settings, IEngineEventSink events, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    // How long Stop waits for the link loop to end (it ends at once when nothing blocks it).
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly ReplicationSettings _replication = settings.Replication;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _task;
    private CancellationTokenSource? _session;

    /// <summary>connecting, handshake, draining, sending-back, full-resync, streaming, down, or diverged (stopped until an operator decides).</summary>
    public string State { get; private set; } = "connecting";

    /// <summary>When the master was last heard from.</summary>
    public DateTimeOffset? LastHeard { get; private set; }

    /// <summary>The master's shippable end, from its heartbeats and batches (for lag).</summary>
    /// <remarks>Two longs, read by the status and the resync catch-up watch while the receive loop writes them: under a lock.</remarks>
    public BinlogPosition MasterEnd
    {
        get { lock (_receivedGate) return _masterEnd; }
        private set { lock (_receivedGate) _masterEnd = value; }
    }

    private BinlogPosition _masterEnd;

    /// <summary>End of the last range acknowledged to the master.</summary>
    public BinlogPosition AckedEnd { get; private set; }

    /// <summary>Why the link last went down.</summary>
    public string? LastError { get; private set; }

    /// <summary>Links established since start.</summary>
    public long Sessions { get; private set; }

    /// <summary>The running or last full resync of this slave.</summary>
    public ResyncProgress Resync { get; } = new(time);

    public string MasterHost => _replication.MasterHost ?? "127.0.0.1";
    public int MasterPort => _replication.MasterPort;

    /// <summary>Starts the link loop once, supervised: if it throws something unexpected it is reported and restarted.</summary>
    public void Start() => _task ??= node.StartLoop("replication-link", _ => RunAsync());

    /// <summary>True once <see cref="Start"/> was called.</summary>
    public bool IsStarted => _task is not null;

    public void Stop()
    {
        _stopping.Cancel();
        try
        {
            _task?.WaitAsync(StopWait, time).Wait();
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>Closes the current link (fault point CutLink, or an operator's resync).</summary>
    public void CutLink()
    {
        try
        {
            _session?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Between sessions (down, or stopped on diverged history): there is no link to cut.
        }
    }

    private volatile bool _fullResyncRequested;
    // The cluster id of the master this session linked to: adopted once a full resync has loaded its data.
    private string _masterClusterId = "";
    private volatile string _resyncRequestedBy = "";

    /// <summary>
    /// An operator asked for a full resync: the next TrySync asks for a snapshot, whatever the position.
    /// <paramref name="requestedBy"/> (the API, the dashboard...) is kept with the progress and named in its events.
    /// </summary>
    public void RequestFullResync(string requestedBy = "api")
    {
        Resync.Begin($"requested by {requestedBy}");
        _resyncRequestedBy = requestedBy;
        _fullResyncRequested = true;
        Publish("full-resync-requested", $"A full resync was requested by {requestedBy}; reconnecting.");
        _operatorDecision?.TrySetResult(); // a link stopped on diverged history resumes with this choice
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
            bool repeated = false;
            string? refusedWith = null;
            try
            {
                streamed = await SessionAsync(session.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException
                                          or NodeUnavailableException or ObjectDisposedException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                // The same reason as the last attempt (a master that keeps refusing, a port that stays closed) is
                // logged once, not once per retry; LastError keeps showing it. A link that was streaming is news.
                repeated = e.Message == LastError && State != "streaming";
                refusedWith = (e as ReplicationRefusedException)?.Code;
                LastError = e.Message;
                logger.Log(repeated ? LogLevel.Debug : LogLevel.Information,
                    "Replication link of {Node} to {Host}:{Port} down: {Reason}", node.Id, MasterHost, MasterPort, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unexpected: the link is down; the loop's supervisor reports why and starts this loop again.
                LastError = e.Message;
                if (State != "down" && State != "connecting")
                    Publish("link-down", $"Link to master {MasterHost}:{MasterPort} down: {LastError}.");
                State = "down";
                throw;
            }
            if (State != "down" && State != "connecting" && !repeated)
                Publish("link-down", $"Link to master {MasterHost}:{MasterPort} down: {LastError}.");
            State = "down";
            if (node.State != NodeState.Running)
                return;
            if (_operatorDecision is { } decision && !await AwaitOperatorAsync(decision))
                return;
            // A master that refused (failed, wrong secret...) will not change its mind at once: wait the longest.
            // BINLOG_DAMAGED is the exception: the master marked the damage, and the next TrySync resyncs this slave.
            backoff = streamed || refusedWith == ReplicationErrorCodes.BinlogDamaged ? MinBackoff
                : refusedWith is not null ? MaxBackoff
                : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
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
        // A relay log that has no disk space cannot take what the master sends: wait (backing off) until it can.
        if (node.WritesBlocked is { } blocked)
            throw new NodeUnavailableException($"not linking while {blocked}");
        // Lesson L1: whatever the previous session left in flight is finished before this one reports a
        // position. Done before connecting, so a long apply cannot time out the new handshake.
        if (!settings.Faults.UnsafeFirstAckWithoutDrain)
        {
            State = "draining";
            await node.DrainAppliesAsync().WaitAsync(cancellation);
        }
        State = "connecting";
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = time.Deadline(_replication.LinkTimeout, cancellation))
            await socket.ConnectAsync(MasterHost, MasterPort, connect.Token);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        await using var stream = await SecureAsync(network, cancellation);
        var channel = new FrameChannel(PipeReader.Create(stream), PipeWriter.Create(stream), time);

        State = "handshake";
        // Until the master's Welcome, a peer that is not (yet) known to be our master gets small frames only.
        channel.MaxFrameBytes = ReplicationCodec.MaxHandshakeFrameBytes;
        using (var handshake = time.Deadline(_replication.LinkTimeout, cancellation))
        {
            try
            {
                // A failed master answers with an error instead of a greeting.
                var greeting = await channel.ReceiveAsync<Greeting>(handshake.Token);
                var proof = HandshakeProof.Compute(_replication.Secret, greeting.Nonce);
                // An operator's full resync replaces this slave's data, whichever cluster it came from: no id is claimed.
                string claimed = _fullResyncRequested ? "" : node.ClusterId ?? "";
                await channel.SendAsync(new Hello(ReplicationCodec.ProtocolVersion, node.Id, _replication.MasterId ?? greeting.MasterId, proof,
                    claimed), handshake.Token);
                await channel.ReceiveAsync<Welcome>(handshake.Token);
                if (node.ClusterId is null)
                    node.AdoptClusterId(greeting.ClusterId);
                _masterClusterId = greeting.ClusterId;
            }
            catch (ReplicationRefusedException refused) when (refused.Code == ReplicationErrorCodes.ClusterMismatch)
            {
                throw StopAsDiverged(new HistoryDivergedException(refused.Message));
            }
            catch (ReplicationRefusedException refused)
            {
                if (refused.Message != LastError)
                    Publish("link-refused", $"Master {MasterHost}:{MasterPort} refused the link: {refused.Message}.");
                throw;
            }
        }
        channel.MaxFrameBytes = ReplicationCodec.MaxFrameBytes;
        Sessions++;
        Publish("link-up", $"Linked to master {MasterHost}:{MasterPort}.");

        var request = await PrepareTrySyncAsync(cancellation);
        await channel.SendAsync(request, cancellation);
        var reply = await channel.ReceiveAsync<TrySyncReply>(cancellation);
        Publish("trysync", $"TrySync at {request.Received}: {reply.Outcome} ({reply.Reason}).");
        reply = await AnswerHistoryQuestionAsync(channel, request, reply, cancellation);
        var from = reply.From;
        var catchingUp = Resync.CatchingUpAttempt; // a resync whose catch-up the previous link did not finish
        if (reply.Outcome != TrySyncOutcome.Continue)
        {
            State = "full-resync";
            // An operator's request whose attempt failed is asked again by this TrySync: a new attempt, same requester.
            var attempt = Resync.Pending ?? Resync.Begin(request.FullResyncRequested
                ? $"requested by {_resyncRequestedBy} (again after a failed attempt)"
                : $"master: {reply.Reason}");
            from = await LoadSnapshotAsync(channel, attempt, cancellation);
            node.AdoptClusterId(_masterClusterId); // the data is now the master's cluster's
            _fullResyncRequested = false;
            catchingUp = attempt;
        }

        State = "streaming";
        AckedEnd = from;
        // From here the SlaveMachine decides (receive, relay appends, applies, acks after the relay sync, heartbeats,
        // the link timeout); the driver carries out what it asks.
        var driver = new SlaveDriver(node, settings, time, Publish);
        driver.Heard = () => LastHeard = time.GetUtcNow();
        driver.StatusChanged = () =>
        {
            lock (_receivedGate)
                if (driver.MasterEnd > _masterEnd)
                    _masterEnd = driver.MasterEnd;
            AckedEnd = driver.AckedEnd;
        };
        await SessionLoops.RunAsync(cancellation,
            token => driver.StreamAsync(channel, from, token),
            token => WatchCatchUpAsync(catchingUp, token),
            token => SendCheckResultsAsync(channel, token));
        return true;
    }

    /// <summary>
    /// With ReplDash:Tls:Replication, TLS over <paramref name="network"/>: the master's certificate must chain to the
    /// trusted one and name the host dialled, within the link timeout. Otherwise the plain stream.
    /// </summary>
    private async Task<Stream> SecureAsync(NetworkStream network, CancellationToken cancellation)
    {
        if (_replication.MasterTrust is not { } trust)
            return network;
        var tls = new SslStream(network, leaveInnerStreamOpen: true, TlsCertificates.TrustOnly(trust));
        using var deadline = time.Deadline(_replication.LinkTimeout, cancellation);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = MasterHost }, deadline.Token);
            return tls;
        }
        catch (AuthenticationException e)
        {
            await tls.DisposeAsync();
            throw new IOException($"TLS with master {MasterHost}:{MasterPort} failed: {e.Message}", e);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    // Set when the master refused this slave's history (lesson L5): the link stays down until an operator decides.
    private TaskCompletionSource? _operatorDecision;

    /// <summary>
    /// Lesson L5: the master lost items this slave holds and asks for them back (SendBack), or it cannot verify this
    /// slave's history as its own (Diverged). Either way nothing here is overwritten; a refused link stops and waits.
    /// </summary>
    private async Task<TrySyncReply> AnswerHistoryQuestionAsync(FrameChannel channel, TrySync request, TrySyncReply reply,
        CancellationToken cancellation)
    {
        try
        {
            if (reply.Outcome == TrySyncOutcome.SendBack)
            {
                State = "sending-back";
                var sent = await SlaveTailSender.SendAsync(channel, settings.LogDirectory, reply.From, request.Received, cancellation);
                Publish("tail-sent-back", $"Sent {sent.Items} relay-log item(s) ({sent.Bytes} bytes) from {reply.From} to {request.Received} " +
                    "back to the master, which had lost them.");
                reply = await channel.ReceiveAsync<TrySyncReply>(cancellation);
                Publish("trysync", $"After sending back: {reply.Outcome} ({reply.Reason}).");
            }
            if (reply.Outcome == TrySyncOutcome.Diverged)
                throw new HistoryDivergedException(reply.Reason);
            return reply;
        }
        catch (HistoryDivergedException diverged)
        {
            throw StopAsDiverged(diverged);
        }
    }

    /// <summary>The link stops and waits for an operator; the slave keeps its data (lesson L5).</summary>
    private HistoryDivergedException StopAsDiverged(HistoryDivergedException diverged)
    {
        _operatorDecision = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Publish("history-diverged", $"{diverged.Message}. This slave keeps its data; replication from {MasterHost}:{MasterPort} " +
            $"stays stopped until an operator asks for a full resync (POST /api/nodes/{node.Id}/resync).");
        logger.LogWarning("Slave {Node}: {Reason}; waiting for an operator", node.Id, diverged.Message);
        return diverged;
    }

    /// <summary>Waits, link stopped, until an operator asks for a full resync; false when the node stops first.</summary>
    private async Task<bool> AwaitOperatorAsync(TaskCompletionSource decision)
    {
        State = "diverged";
        try
        {
            await decision.Task.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        _operatorDecision = null;
        return true;
    }

    /// <summary>
    /// Loads the master's snapshot for <paramref name="attempt"/>; a failure (link lost, digest mismatch...) ends the
    /// attempt as failed, with an event, and the link reconnects (the next TrySync decides again).
    /// </summary>
    private async Task<BinlogPosition> LoadSnapshotAsync(FrameChannel channel, ResyncAttempt attempt, CancellationToken cancellation)
    {
        BinlogPosition tag;
        try
        {
            tag = await node.LoadSnapshotAsync(channel, attempt, cancellation);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "the link was closed" : e.Message;
            if (attempt.Fail($"Failed while {Resync.Current()?.Phase}: {reason}.") is { } failed)
                Publish("full-resync-failed", $"Full resync ({failed.Trigger}) failed after {failed.KeysReceived} of {failed.KeysTotal} keys: {reason}.");
            throw;
        }
        // The snapshot is the master's data at the tag: its end is at least there, whatever an older link heard.
        MasterEnd = tag;
        attempt.CatchingUp();
        return tag;
    }

    /// <summary>
    /// Completes a loaded resync once the slave has applied everything the master is known to have (its end from
    /// batches and heartbeats), i.e. once lag reaches zero; then idles until the link ends.
    /// </summary>
    private async Task WatchCatchUpAsync(ResyncAttempt? attempt, CancellationToken cancellation)
    {
        if (attempt is not null)
        {
            while (true)
            {
                var target = MasterEnd;
                await node.WaitAppliedAsync(target).WaitAsync(cancellation);
                if (MasterEnd <= target)
                    break;
            }
            var applied = node.Applied;
            if (attempt.Complete(done => $"{done.KeysReceived} keys in {Seconds(done):0.0} s, caught up at {applied}.") is { } view)
                Publish("full-resync-done", $"Full resync ({view.Trigger}) done: {view.KeysReceived} keys, {view.BytesReceived} bytes in " +
                    $"{Seconds(view):0.0} s ({view.KeysPerSecond:0} keys/s); caught up at {applied}.");
        }
        await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellation);
    }

    private static double Seconds(ResyncProgressView view) => ((view.FinishedAt ?? view.StartedAt) - view.StartedAt).TotalSeconds;

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

    // Guards MasterEnd (two longs, written by the driver's loop and the snapshot load, read by the status and the catch-up watch).
    private readonly object _receivedGate = new();

    private void Publish(string kind, string message) => events.Publish(new EngineEvent(time.GetUtcNow(), node.Id, kind, message));
}
