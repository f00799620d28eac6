using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Node;
using ReplDash.Engine.Replication;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// The slave's ack fault points act on the machine's Ack outputs (<see cref="SlaveFrameOutbox"/>): an ack that is not sent
/// is merged into the next one, so the master's window (which takes only contiguous acks) sees one wider ack, never a gap.
/// </summary>
public class SlaveFrameOutboxTests
{
    private static readonly BinlogPosition A = new(1, 100), B = new(1, 200), C = new(1, 300);

    [Fact]
    public async Task ADroppedAck_IsCoveredByTheNextOne()
    {
        var (outbox, faults, peer) = Create();
        faults.Arm(FaultPoint.DropAcks);

        await outbox.SendAsync(new Ack(A, B, A, First: true), CancellationToken.None);
        await outbox.SendAsync(new Ack(B, C, B, First: false), CancellationToken.None);

        var sent = Assert.IsType<Ack>(await peer.ReceiveAsync(CancellationToken.None));
        Assert.Equal((A, C, true), (sent.RangeStart, sent.RangeEnd, sent.First));
        Assert.Equal(C, outbox.AckedEnd);
    }

    [Fact]
    public async Task HeldAcks_GoOutAsOne_OnceFaultsAreCleared()
    {
        var (outbox, faults, peer) = Create();
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        outbox.ReleaseWanted = () => released.TrySetResult();
        faults.Arm(FaultPoint.HoldAcks);

        await outbox.SendAsync(new Ack(A, B, A, First: true), CancellationToken.None);
        await outbox.SendAsync(new Ack(B, C, B, First: false), CancellationToken.None);
        Assert.Equal(default, outbox.AckedEnd);
        Assert.False(released.Task.IsCompleted);

        faults.Clear();
        await released.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await outbox.ReleaseAsync(CancellationToken.None);

        var sent = Assert.IsType<Ack>(await peer.ReceiveAsync(CancellationToken.None));
        Assert.Equal((A, C, true), (sent.RangeStart, sent.RangeEnd, sent.First));
    }

    [Fact]
    public async Task AForgedAck_GoesFirst_ThenTheRealRangeWithTheNextAck()
    {
        var (outbox, faults, peer) = Create();
        faults.Arm(FaultPoint.ForgeAck);

        await outbox.SendAsync(new Ack(A, B, A, First: true), CancellationToken.None);
        await outbox.SendAsync(new Ack(B, C, B, First: false), CancellationToken.None);

        var forged = Assert.IsType<Ack>(await peer.ReceiveAsync(CancellationToken.None));
        Assert.True(forged.RangeStart > B); // a range the master never sent
        var real = Assert.IsType<Ack>(await peer.ReceiveAsync(CancellationToken.None));
        Assert.Equal((A, C), (real.RangeStart, real.RangeEnd));
    }

    private static (SlaveFrameOutbox Outbox, FaultInjector Faults, FrameChannel Peer) Create()
    {
        var wire = new Pipe();
        var unused = new Pipe();
        var faults = new FaultInjector(enabled: true);
        var mine = new FrameChannel(unused.Reader, wire.Writer, TimeProvider.System);
        var peer = new FrameChannel(wire.Reader, unused.Writer, TimeProvider.System);
        return (new SlaveFrameOutbox(mine, faults, TimeProvider.System, TimeSpan.FromHours(1)), faults, peer);
    }
}
