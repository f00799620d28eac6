using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Drives a <see cref="SlaveMachine"/> through one link's streaming (docs/ARCHITECTURE.md, "The slave driver"): one loop
/// feeds the machine its inputs (a frame received, the relay log synced, items applied, a tick of the node's clock) and
/// carries out each <see cref="SlaveReady"/> in the order written on it: relay appends and applies
/// (<see cref="DataNode"/>'s relay log and applier), relay syncs, then frames over the <see cref="FrameChannel"/>
/// (through <see cref="SlaveFrameOutbox"/>, where the ack fault points act), then a close. The machine decides when to
/// acknowledge (after the relay sync, coalesced or at once), when to send heartbeats and when the link has timed out.
/// The handshake, TrySync, sending a lost tail back and loading a snapshot still run in <see cref="ReplicationClient"/>;
/// the driver adopts the link once they are done.
/// </summary>
internal sealed class SlaveDriver
{
    /// <summary>The machine's id for the adopted link (one link per driver).</summary>
    private const long LinkId = 1;
    // Frames read ahead of the machine: the receive task waits beyond this, so TCP pushes back on the master as before.
    private const int FramesAhead = 64;

    private readonly DataNode _node;
    private readonly NodeSettings _settings;
    private readonly TimeProvider _time;
    private readonly Action<string, string> _publish;
    private readonly long _epoch;
    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _frameCredit = new(FramesAhead);
    private BinlogPosition _syncAsked;
    private long _tickDueUs = long.MaxValue;
    private SlaveMachine? _machine;

    private abstract record Input;
    private sealed record FrameInput(ReplicationMessage Message) : Input;
    private sealed record ReceiveFailed(ExceptionDispatchInfo Error) : Input;
    private sealed record AppliedInput(BinlogPosition End) : Input;
    private sealed record RelaySyncedInput : Input;
    private sealed record TickInput : Input;
    private sealed record ReleaseAcksInput : Input;

    /// <param name="node">The slave: its relay log, applier and fault points.</param>
    /// <param name="settings">The node's settings (link timeout, ack coalescing, unsafe switches).</param>
    /// <param name="time">The node's clock: every deadline the machine keeps is measured on it.</param>
    /// <param name="publish">Publishes an operator event (kind, message).</param>
    public SlaveDriver(DataNode node, NodeSettings settings, TimeProvider time, Action<string, string> publish)
    {
        _node = node;
        _settings = settings;
        _time = time;
        _publish = publish;
        _epoch = time.GetTimestamp();
    }

    /// <summary>The master's durable end as the machine knows it (for lag and the resync catch-up); Zero before streaming.</summary>
    public BinlogPosition MasterEnd { get; private set; }

    /// <summary>End of the last range acknowledged to the master.</summary>
    public BinlogPosition AckedEnd { get; private set; }

    /// <summary>Called with the time each frame arrives.</summary>
    public Action? Heard { get; set; }

    /// <summary>Called whenever <see cref="MasterEnd"/> or <see cref="AckedEnd"/> may have moved.</summary>
    public Action? StatusChanged { get; set; }

    /// <summary>
    /// Streams on <paramref name="channel"/> from <paramref name="from"/> (where TrySync continued or the snapshot's tag) until
    /// the link ends; throws why it ended (as the legacy loops did: <see cref="LinkTimeoutException"/>,
    /// <see cref="ReplicationRefusedException"/>, <see cref="InvalidDataException"/>, <see cref="IOException"/>...).
    /// </summary>
    public async Task StreamAsync(FrameChannel channel, BinlogPosition from, CancellationToken cancellation)
    {
        var replication = _settings.Replication;
        var options = new ProtocolOptions(
            LinkTimeoutMs: (long)replication.LinkTimeout.TotalMilliseconds,
            AckCoalesceMs: replication.AckCoalesceMs,
            // Checkpoints stay with the node's maintenance loop (DataNode.CheckpointAsync, same rule: the relay log is
            // durable up to the position first), which adapts its pace to the load; the machine is not asked for them.
            CheckpointIntervalMs: (long)TimeSpan.FromDays(1).TotalMilliseconds,
            // The applied-position file (lesson L3's unsafe switch) is written by the node's applier, as before.
            Unsafe: _settings.Faults.UnsafeFirstAckWithoutDrain ? UnsafeSwitches.FirstAckWithoutDrain : UnsafeSwitches.None);
        var (received, receivedLogical, lastReceived, _) = _node.ReceivedState();
        var positions = _node.Positions();
        var machine = new SlaveMachine(new SlaveIdentity(_node.Id, replication.MasterId ?? "", replication.Secret, _node.ClusterId ?? ""), options,
            new SlaveStart(new PositionMark(received, receivedLogical, lastReceived),
                new PositionMark(positions.Applied, positions.AppliedLogical, positions.LastApplied)), NowUs());
        _machine = machine;
        var outbox = new SlaveFrameOutbox(channel, _node.Faults, _time, TimeSpan.FromMilliseconds(options.HeartbeatMs))
        {
            ReleaseWanted = () => _inputs.Writer.TryWrite(new ReleaseAcksInput()),
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        await using var timer = _time.CreateTimer(_ => _inputs.Writer.TryWrite(new TickInput()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _node.ReportAppliedTo(end => _inputs.Writer.TryWrite(new AppliedInput(end)));
        var receiving = ReceiveAsync(channel, stop.Token);
        try
        {
            machine.OnStreamLinked(LinkId, from, NowUs());
            MasterEnd = machine.MasterEnd;
            AckedEnd = from;
            await CarryAsync(machine.TakeReady(), outbox, timer, cancellation);
            while (true)
            {
                var input = await _inputs.Reader.ReadAsync(cancellation);
                do
                {
                    await FeedAsync(input, outbox, cancellation);
                    if (machine.Phase != SlavePhase.Streaming)
                        break;
                } while (_inputs.Reader.TryRead(out input));
                await CarryAsync(machine.TakeReady(), outbox, timer, cancellation);
            }
        }
        finally
        {
            _node.ReportAppliedTo(null);
            stop.Cancel();
            await receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private long NowUs() => _time.GetElapsedTime(_epoch).Ticks / 10;

    /// <summary>Reads frames for the machine, at most <see cref="FramesAhead"/> ahead of it.</summary>
    private async Task ReceiveAsync(FrameChannel channel, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                await _frameCredit.WaitAsync(cancellation);
                var message = await channel.ReceiveAsync(cancellation);
                Heard?.Invoke();
                _inputs.Writer.TryWrite(new FrameInput(message));
            }
        }
        catch (Exception e)
        {
            _inputs.Writer.TryWrite(new ReceiveFailed(ExceptionDispatchInfo.Capture(e)));
        }
    }

    /// <summary>Gives one input to the machine.</summary>
    private async Task FeedAsync(Input input, SlaveFrameOutbox outbox, CancellationToken cancellation)
    {
        var machine = _machine!;
        switch (input)
        {
            case FrameInput { Message: var message }:
                _frameCredit.Release();
                machine.OnFrame(LinkId, message, NowUs());
                if (message is ErrorMessage error)
                {
                    // The master stopped the link on purpose (BINLOG_DAMAGED...): its reason, not "link closed".
                    PublishEvents(machine.TakeReady());
                    throw new ReplicationRefusedException(error.Code, error.Message);
                }
                if (_node.Faults.TryHit(FaultPoint.CutLink, out _))
                    throw new IOException("link cut by fault injection");
                _node.Faults.ThrowIfArmed(FaultPoint.KillReplicationLinkLoop);
                break;
            case ReceiveFailed failed:
                failed.Error.Throw();
                break;
            case AppliedInput applied:
                machine.OnApplied(applied.End, NowUs());
                break;
            case RelaySyncedInput:
                machine.OnRelaySynced(_node.RelaySynced, NowUs());
                break;
            case TickInput:
                _tickDueUs = long.MaxValue;
                machine.Tick(NowUs());
                break;
            case ReleaseAcksInput:
                await outbox.ReleaseAsync(cancellation);
                AckedEnd = outbox.AckedEnd > AckedEnd ? outbox.AckedEnd : AckedEnd;
                StatusChanged?.Invoke();
                break;
        }
    }

    /// <summary>Carries out one step's outputs in the order <see cref="SlaveReady"/> names.</summary>
    private async Task CarryAsync(SlaveReady ready, SlaveFrameOutbox outbox, ITimer timer, CancellationToken cancellation)
    {
        if (ready.RelayAppends.Count > 0 || ready.Applies.Count > 0)
            _node.ReceiveFromMachine(ready.RelayAppends, ready.Applies);
        if (ready.RelaySyncTo is { } syncTo && syncTo > _syncAsked)
        {
            _syncAsked = syncTo;
            var synced = _node.WaitRelaySyncedAsync(syncTo);
            if (synced.IsCompleted)
                _inputs.Writer.TryWrite(new RelaySyncedInput());
            else
                _ = synced.ContinueWith(_ => _inputs.Writer.TryWrite(new RelaySyncedInput()), TaskContinuationOptions.ExecuteSynchronously);
        }
        foreach (var frame in ready.Frames)
            await outbox.SendAsync(frame.Message, cancellation);
        PublishEvents(ready);
        var machine = _machine!;
        if (machine.MasterEnd > MasterEnd || outbox.AckedEnd > AckedEnd)
        {
            MasterEnd = BinlogPosition.Max(MasterEnd, machine.MasterEnd);
            AckedEnd = BinlogPosition.Max(AckedEnd, outbox.AckedEnd);
            StatusChanged?.Invoke();
        }
        if (ready.Close is { } close)
            throw close.Reason == "link timeout"
                ? new LinkTimeoutException(_settings.Replication.LinkTimeout)
                : new InvalidDataException(close.Reason);
        if (ready.NextTickUs is long next && next < _tickDueUs)
        {
            _tickDueUs = next;
            timer.Change(TimeSpan.FromTicks(Math.Max(0, next - NowUs()) * 10), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The machine's events for operators; link-down is the link loop's to publish, with the reason it keeps.</summary>
    private void PublishEvents(SlaveReady ready)
    {
        foreach (var e in ready.Events)
            if (e.Kind != "link-down")
                _publish(e.Kind, e.Message);
    }
}
