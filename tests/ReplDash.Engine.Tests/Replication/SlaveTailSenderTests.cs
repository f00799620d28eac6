using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Replication;
using ReplDash.Engine.Tests.Binlog;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Lesson L5, the slave's half of sending back: real relay-log files written by <see cref="Binlog.BinlogWriter"/>, read
/// by <see cref="SlaveTailSender"/> and framed over an in-memory pipe pair as the master would receive them.
/// </summary>
public class SlaveTailSenderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RelayItemsFromTheAskedPosition_AreSentByteForByte_InBoundedFrames_TheLastMarkedFinal()
    {
        var (directory, items) = BinlogTestLog.Write(300);
        var (slave, master) = Channels();
        using var cancel = new CancellationTokenSource(Deadline);

        var sending = SlaveTailSender.SendAsync(slave, directory, items[10].Start, items[^1].End, cancel.Token);
        var frames = new List<TailItems>();
        do
            frames.Add(Assert.IsType<TailItems>(await master.ReceiveAsync(cancel.Token)));
        while (!frames[^1].Final);
        var sent = await sending;

        Assert.Equal([256, 34], frames.Select(f => f.Items.Count));
        Assert.Equal([false, true], frames.Select(f => f.Final));
        var received = frames.SelectMany(f => f.Items).ToList();
        Assert.Equal(items.Skip(10).Select(i => i.Start), received.Select(i => i.Start));
        Assert.Equal(items.Skip(10).Select(i => i.End), received.Select(i => i.End));
        for (int i = 0; i < received.Count; i++)
        {
            Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(received[i].Encoded, out var item, out _));
            Assert.Equal(new TransactionId("m1", 11 + i), item!.Id);
        }
        Assert.Equal(290, sent.Items);
        Assert.Equal(received.Sum(i => (long)i.Encoded.Length), sent.Bytes);
    }

    [Fact]
    public async Task NothingBeyondTheAskedPosition_IsOneEmptyFinalFrame()
    {
        var (directory, items) = BinlogTestLog.Write(3);
        var (slave, master) = Channels();
        using var cancel = new CancellationTokenSource(Deadline);

        var sending = SlaveTailSender.SendAsync(slave, directory, items[^1].End, items[^1].End, cancel.Token);
        var frame = Assert.IsType<TailItems>(await master.ReceiveAsync(cancel.Token));

        Assert.True(frame.Final);
        Assert.Empty(frame.Items);
        Assert.Equal(0, (await sending).Items);
    }

    [Theory]
    [InlineData(7, 32, "is gone")]                  // a segment the relay log does not have (purged)
    [InlineData(1, 8, "starts after")]              // before the relay segment's first item
    [InlineData(1, 33, "cannot be read")]           // inside an item: not a boundary of this relay log
    public async Task APositionTheRelayLogDoesNotHold_IsReportedToTheMaster_AndStopsTheLinkAsDiverged(long file, long offset, string reason)
    {
        var (directory, items) = BinlogTestLog.Write(5);
        var (slave, master) = Channels();
        using var cancel = new CancellationTokenSource(Deadline);

        var sending = SlaveTailSender.SendAsync(slave, directory, new BinlogPosition(file, offset), items[^1].End, cancel.Token);
        var error = Assert.IsType<ErrorMessage>(await master.ReceiveAsync(cancel.Token));

        Assert.Equal("TAIL_UNAVAILABLE", error.Code);
        Assert.Contains(reason, error.Message);
        var stopped = await Assert.ThrowsAsync<HistoryDivergedException>(() => sending);
        Assert.Contains(reason, stopped.Message);
    }

    private static (FrameChannel Slave, FrameChannel Master) Channels()
    {
        var toMaster = new Pipe();
        var toSlave = new Pipe();
        return (new FrameChannel(toSlave.Reader, toMaster.Writer, TimeProvider.System), new FrameChannel(toMaster.Reader, toSlave.Writer, TimeProvider.System));
    }
}
