using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Binlog;

/// <summary>
/// The sync policy of a slave that coalesces acks (policy 0, syncs asked for by the ack loop): each group is
/// written at once, and fsynced only when asked; a sync asked for covers everything appended before it.
/// </summary>
public class SyncOnDemandTests
{
    [Fact]
    public async Task Groups_AreWrittenAtOnce_ButSyncedOnlyWhenASyncIsAskedFor()
    {
        var progress = new ProgressLog();
        var recovered = BinlogRecovery.Open(RepositoryPaths.NewTempDirectory("sync-on-demand"));
        using var writer = new BinlogWriter(recovered, 0, 64 * 1024 * 1024, progress.Report, progress.Fail);

        for (int i = 1; i <= 50; i++)
            writer.Append(BinlogTestLog.Item(i, $"k{i}", "v"));
        var written = await progress.WrittenAtLeastAsync(writer.End);
        Assert.Equal(recovered.End, written.Durable);
        Assert.Equal(writer.End.Offset, new FileInfo(BinlogDirectory.SegmentPath(recovered.Directory, 1)).Length);

        writer.RequestSync();
        var synced = await progress.DurableAtLeastAsync(writer.End);
        Assert.Equal(writer.End, synced.Durable);

        // A request with nothing new is skipped; it must not swallow the next one, which has an item to sync.
        writer.RequestSync();
        writer.Append(BinlogTestLog.Item(51, "k51", "v"));
        writer.RequestSync();
        var again = await progress.DurableAtLeastAsync(writer.End);
        Assert.Equal(writer.End, again.Durable);
    }

    /// <summary>Progress reports from the flusher thread, awaitable.</summary>
    private sealed class ProgressLog
    {
        private readonly object _gate = new();
        private readonly List<BinlogProgress> _reports = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? _failure;

        public int Count { get { lock (_gate) return _reports.Count; } }

        public void Report(BinlogProgress progress)
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _reports.Add(progress);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }

        public void Fail(Exception failure)
        {
            lock (_gate)
                _failure = failure;
            _changed.TrySetResult();
        }

        public Task<BinlogProgress> DurableAtLeastAsync(BinlogPosition position) => UntilAsync(p => p.Durable >= position);

        public Task<BinlogProgress> WrittenAtLeastAsync(BinlogPosition position) => UntilAsync(p => p.Written >= position);

        private async Task<BinlogProgress> UntilAsync(Func<BinlogProgress, bool> reached)
        {
            var deadline = DateTime.UtcNow + Poll.DefaultTimeout;
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (_failure is not null)
                        throw new InvalidOperationException("the writer failed", _failure);
                    if (_reports.Count > 0 && reached(_reports[^1]))
                        return _reports[^1];
                    changed = _changed.Task;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException("the flusher did not report the expected progress");
                await changed.WaitAsync(left);
            }
        }
    }
}
