using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Binlog;

/// <summary>
/// The binlog writer on a real 8 MiB tmpfs that fills up: it holds the group that did not fit, retries it by itself,
/// and the log it leaves (written after all, or given up at dispose) never holds half an item.
/// </summary>
public class BinlogWriterDiskFullTests
{
    private const int Items = 60;
    private static readonly string Value = new('v', 8 * 1024);

    [Fact]
    public async Task FullDisk_HoldsTheGroup_AndWritesItExactlyOnceThereIsSpace()
    {
        using var disk = SmallTmpfs.Mount(RepositoryPaths.NewTempDirectory("binlog-diskfull"), 8);
        var directory = Path.Combine(disk.Path, "binlog");
        var recovered = BinlogRecovery.Open(directory);
        var hooks = new Hooks();
        var writer = new BinlogWriter(recovered, 1, 64 * 1024, hooks.Progress, hooks.Failure, TimeProvider.System, hooks.OutOfSpace, hooks.Recovered);
        try
        {
            disk.FillLeaving(100 * 1024);
            var ends = Enumerable.Range(1, Items).Select(i => writer.Append(BinlogTestLog.Item(i, $"k{i}", Value)).End).ToList();

            await hooks.Blocked.Task.WaitAsync(Poll.DefaultTimeout);
            Assert.Equal("No space left on device", writer.Blocked);
            Assert.True(writer.Progress.Durable < writer.End, "the group that did not fit is not reported durable");

            disk.RemoveFiller();
            await hooks.Unblocked.Task.WaitAsync(Poll.DefaultTimeout);
            await Poll.UntilAsync(() => writer.Progress.Durable == writer.End, "the held items to become durable");
            Assert.Null(writer.Blocked);
            Assert.Null(hooks.Failed);
            writer.Dispose();

            var reopened = BinlogRecovery.Open(directory);
            Assert.Null(reopened.TornTail);
            Assert.Equal(ends[^1], reopened.End);
            var read = new BinlogReader(directory).Read(reopened.Start, reopened.End).ToList();
            Assert.Equal(Enumerable.Range(1, Items).Select(i => (long)i), read.Select(e => e.Item.Id.Sequence));
            Assert.Equal(ends, read.Select(e => e.End));
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Fact]
    public async Task DisposedWhileTheDiskIsFull_LeavesNoHalfItemBehind()
    {
        using var disk = SmallTmpfs.Mount(RepositoryPaths.NewTempDirectory("binlog-diskfull"), 8);
        var directory = Path.Combine(disk.Path, "binlog");
        var recovered = BinlogRecovery.Open(directory);
        var hooks = new Hooks();
        var writer = new BinlogWriter(recovered, 1, 64 * 1024, hooks.Progress, hooks.Failure, TimeProvider.System, hooks.OutOfSpace, hooks.Recovered);
        BinlogPosition durable;
        try
        {
            disk.FillLeaving(100 * 1024);
            for (int i = 1; i <= Items; i++)
                writer.Append(BinlogTestLog.Item(i, $"k{i}", Value));
            await hooks.Blocked.Task.WaitAsync(Poll.DefaultTimeout);
        }
        finally
        {
            writer.Dispose();
            durable = writer.Progress.Durable;
        }

        // The held group was never acknowledged. Whole items of it that reached a segment closed on the way may stay
        // (as after a crash), but the attempt that did not fit is cut off: no half item, and a prefix of what was appended.
        var reopened = BinlogRecovery.Open(directory);
        Assert.Null(reopened.TornTail);
        Assert.True(reopened.End >= durable, $"{reopened.End} is before the durable {durable}");
        var read = new BinlogReader(directory).Read(reopened.Start, reopened.End).Select(e => e.Item.Id.Sequence).ToList();
        Assert.True(read.Count < Items, "the items that did not fit are not in the log");
        Assert.Equal(Enumerable.Range(1, read.Count).Select(i => (long)i), read);
    }

    private sealed class Hooks
    {
        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Unblocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failed { get; private set; }

        public void Progress(BinlogProgress progress)
        {
        }

        public void Failure(Exception failure)
        {
            Failed = failure;
            Blocked.TrySetException(failure);
        }

        public void OutOfSpace(Exception failure) => Blocked.TrySetResult();

        public void Recovered() => Unblocked.TrySetResult();
    }
}
