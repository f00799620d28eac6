using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Binlog;

/// <summary>What the writer has achieved: bytes handed to the OS, and bytes synced to disk.</summary>
public readonly record struct BinlogProgress(BinlogPosition Written, BinlogPosition Durable);

/// <summary>
/// Appends items to the binlog with group commit. <see cref="Append"/> only places the encoded item in an
/// in-memory group and returns its end position at once; a dedicated flusher thread writes each group
/// with one write call and, per the sync policy, one fsync, then reports progress. While one group is
/// being synced the next one fills, so many clients share each fsync.
/// </summary>
/// <remarks>
/// A full disk does not stop the writer: the group that could not be written stays in memory, whatever the
/// attempt left in the file is cut off, and the same bytes are written again (backing off up to once a second
/// on the injected clock) until they fit. Progress, and so every reply waiting on it, simply holds meanwhile;
/// the node refuses new writes while <see cref="Blocked"/> is set (docs/ARCHITECTURE.md, workflow 6).
/// </remarks>
public sealed class BinlogWriter : IDisposable
{
    /// <summary>Bytes bound for one segment file. Chunks are reused: a fresh 64 KiB buffer per group
    /// (a slave's relay log writes a group per received batch) kept the GC busy for nothing.</summary>
    private sealed class PendingChunk
    {
        public long FileNumber { get; private set; }
        public long StartLogicalOffset { get; private set; }
        public int FirstItemOffset { get; private set; }
        /// <summary>Logical offset of the chunk's first item.</summary>
        public long FirstItemLogical { get; private set; }
        public ArrayBufferWriter<byte> Bytes { get; } = new(64 * 1024);
        /// <summary>Where each item ends in <see cref="Bytes"/>: the memory tail hands out whole items.</summary>
        public List<int> ItemEnds { get; } = new();

        public PendingChunk Reset(long fileNumber, long startLogicalOffset, int firstItemOffset, long firstItemLogical)
        {
            FileNumber = fileNumber;
            StartLogicalOffset = startLogicalOffset;
            FirstItemOffset = firstItemOffset;
            FirstItemLogical = firstItemLogical;
            Bytes.ResetWrittenCount();
            ItemEnds.Clear();
            return this;
        }
    }

    // Spare chunks kept for reuse; a chunk grown past this (a burst) goes back to the GC.
    private const int MaxSpareChunks = 4;
    private const int MaxSpareChunkBytes = 1024 * 1024;

    private readonly string _directory;
    private readonly int _syncEveryGroups;
    private readonly long _segmentBytes;
    private readonly Action<BinlogProgress> _onProgress;
    private readonly Action<Exception> _onFailure;
    private readonly Action<Exception>? _onOutOfSpace;
    private readonly Action? _onSpaceRecovered;
    private readonly TimeProvider _time;
    // A master's window of recently flushed items for shipping; null on a slave's relay log.
    private readonly BinlogMemoryTail? _memoryTail;
    // Cancelled by Dispose: a group waiting for space is given up (it was never acknowledged).
    private readonly CancellationTokenSource _disposing = new();
    private readonly object _bufferGate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _flusher;
    private readonly Stack<PendingChunk> _spareChunks = new();
    private List<PendingChunk> _pending = new();
    private List<PendingChunk> _spareList = new();
    private BinlogPosition _end;
    private long _endLogical;
    private long _segmentStartLogical;
    private bool _syncRequested;
    // The log's end when a sync was last asked for: asking again with nothing appended since is a no-op.
    private BinlogPosition _syncAskedAt;
    private volatile bool _stopping;
    private volatile string? _blocked;
    // The segment being written; null between closing one segment and creating the next (a failed rotation).
    private FileStream? _file;
    // The number of the segment open in _file, or of the last one closed while _file is null.
    private long _fileNumber;
    private int _groupsSinceSync;
    private BinlogProgress _progress;

    /// <summary>Fault point: pause before each group write (a slow disk). Zero in normal runs.</summary>
    public int WriteDelayMs { get; init; }

    /// <summary>Test seam: called on the flusher thread just before a group's fsync (a test holds the sync here).</summary>
    internal Action? BeforeGroupSync { get; init; }

    /// <summary>
    /// UNSAFE, tests only: hands a group to the memory tail before it is written and synced, so a caught-up slave could
    /// be shipped what a crash takes back. It exists to show that BinlogMemoryTailTests catches that order.
    /// </summary>
    internal bool UnsafePublishBeforeSync { get; init; }

    /// <param name="recovered">The binlog as recovery left it.</param>
    /// <param name="syncEveryGroups">1: fsync every group; N: every N groups; 0: never (the OS decides), except when asked.</param>
    /// <param name="segmentBytes">Rotate to a new segment once a file reaches this size.</param>
    /// <param name="onProgress">Called on the flusher thread after each group.</param>
    /// <param name="onFailure">Called once if writing fails for another reason than a full disk; the writer then stops.</param>
    /// <param name="time">The clock the retries of a full disk wait on.</param>
    /// <param name="onOutOfSpace">Called on the flusher thread when a group first fails to fit (the disk is full).</param>
    /// <param name="onSpaceRecovered">Called on the flusher thread when that group was written after all, before its progress.</param>
    /// <param name="memoryTail">A master's window of shippable items: each group is appended to it once written and
    /// (when the policy syncs it) synced, before its progress is reported. Null for a relay log.</param>
    public BinlogWriter(RecoveredBinlog recovered, int syncEveryGroups, long segmentBytes,
        Action<BinlogProgress> onProgress, Action<Exception> onFailure, TimeProvider? time = null,
        Action<Exception>? onOutOfSpace = null, Action? onSpaceRecovered = null, BinlogMemoryTail? memoryTail = null)
    {
        _memoryTail = memoryTail;
        _time = Node.DefaultClock.Or(time);
        _onOutOfSpace = onOutOfSpace;
        _onSpaceRecovered = onSpaceRecovered;
        _directory = recovered.Directory;
        _syncEveryGroups = syncEveryGroups;
        _segmentBytes = Math.Max(segmentBytes, BinlogFormat.SegmentHeaderSize + 1);
        _onProgress = onProgress;
        _onFailure = onFailure;
        _end = recovered.End;
        _endLogical = recovered.EndLogicalOffset;
        _segmentStartLogical = recovered.Segments[^1].StartLogicalOffset;
        _fileNumber = recovered.End.FileNumber;
        _file = new FileStream(BinlogDirectory.SegmentPath(_directory, _fileNumber), FileMode.Open, FileAccess.ReadWrite,
            FileShare.Read | FileShare.Delete, 1);
        _file.Position = recovered.End.Offset;
        _progress = new BinlogProgress(recovered.End, recovered.End);
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = $"binlog-flusher {_directory}" };
        _flusher.Start();
    }

    /// <summary>Where the next item will start.</summary>
    public BinlogPosition End { get { lock (_bufferGate) return _end; } }

    /// <summary>Logical offset (all item bytes ever written) of <see cref="End"/>.</summary>
    public long EndLogicalOffset { get { lock (_bufferGate) return _endLogical; } }

    /// <summary>Why the flusher is holding a group it could not write (the disk is full), null while writes flow.</summary>
    public string? Blocked => _blocked;

    /// <summary>Latest progress reported by the flusher.</summary>
    public BinlogProgress Progress { get { lock (_bufferGate) return _progress; } }

    /// <summary>
    /// Encodes <paramref name="item"/> into the current group and returns its start and end positions.
    /// Callers serialise appends (the node's lock) so positions follow the order of calls.
    /// </summary>
    public (BinlogPosition Start, BinlogPosition End) Append(BinlogItem item)
    {
        lock (_bufferGate)
        {
            if (_stopping)
                throw new ObjectDisposedException(nameof(BinlogWriter));
            if (_end.Offset >= _segmentBytes)
            {
                _segmentStartLogical = _endLogical;
                _end = new BinlogPosition(_end.FileNumber + 1, BinlogFormat.SegmentHeaderSize);
            }
            var start = _end;
            int size = BinlogItemCodec.Encode(item, ChunkFor(start).Bytes);
            return Appended(start, size);
        }
    }

    /// <summary>
    /// Appends an item received from a master, already encoded, at the master's own position: a relay log
    /// mirrors the master's binlog byte for byte. The item must start where the log ends, or at the first
    /// item of a later segment file (the master rotated).
    /// </summary>
    /// <exception cref="InvalidOperationException">The item does not continue the log (a gap or an overlap).</exception>
    public (BinlogPosition Start, BinlogPosition End) AppendEncoded(ReadOnlySpan<byte> encodedItem, BinlogPosition start)
    {
        lock (_bufferGate)
        {
            if (_stopping)
                throw new ObjectDisposedException(nameof(BinlogWriter));
            if (start.FileNumber > _end.FileNumber && start.Offset == BinlogFormat.SegmentHeaderSize)
            {
                _segmentStartLogical = _endLogical;
                _end = start;
            }
            else if (start != _end)
                throw new InvalidOperationException($"Item at {start} does not continue the log ending at {_end}.");
            ChunkFor(start).Bytes.Write(encodedItem);
            return Appended(start, encodedItem.Length);
        }
    }

    private PendingChunk ChunkFor(BinlogPosition start)
    {
        if (_pending.Count == 0 || _pending[^1].FileNumber != start.FileNumber)
        {
            var chunk = _spareChunks.Count > 0 ? _spareChunks.Pop() : new PendingChunk();
            _pending.Add(chunk.Reset(start.FileNumber, _segmentStartLogical, (int)start.Offset, _endLogical));
        }
        return _pending[^1];
    }

    private (BinlogPosition Start, BinlogPosition End) Appended(BinlogPosition start, int size)
    {
        _end = new BinlogPosition(start.FileNumber, start.Offset + size);
        _endLogical += size;
        _pending[^1].ItemEnds.Add(_pending[^1].Bytes.WrittenCount);
        if (_pending.Count == 1 && _pending[0].Bytes.WrittenCount == size)
            _signal.Release(); // first item of a new group wakes the flusher
        return (start, _end);
    }

    /// <summary>
    /// Asks for an fsync of everything appended so far, whatever the policy (checkpoints need it; so does a slave
    /// that syncs its relay log only when it acknowledges).
    /// </summary>
    public void RequestSync()
    {
        lock (_bufferGate)
        {
            if (_syncAskedAt == _end)
                return;
            _syncAskedAt = _end;
            _syncRequested = true;
            // A group not yet taken has already woken the flusher, which takes the request along with it:
            // the group is written and synced in one pass, with no extra wake-up.
            if (_pending.Count > 0)
                return;
        }
        _signal.Release();
    }

    private void FlushLoop()
    {
        try
        {
            while (TakeGroup() is var (chunks, target, forceSync))
            {
                if (WriteDelayMs > 0)
                    Task.Delay(TimeSpan.FromMilliseconds(WriteDelayMs), _time).Wait(); // the flusher's own thread, on the node's clock
                bool sync = forceSync || (_syncEveryGroups > 0 && _groupsSinceSync + 1 >= _syncEveryGroups);
                if (UnsafePublishBeforeSync)
                    PublishToMemoryTail(chunks);
                if (!WriteGroupUntilItFits(chunks, sync))
                    return; // disposed while the disk was full: the group was never acknowledged, and is cut off
                // Written, and synced when the policy syncs: shippable. Published before the progress that wakes the
                // shippers, so a caught-up shipper finds the group in memory.
                if (!UnsafePublishBeforeSync)
                    PublishToMemoryTail(chunks);
                _groupsSinceSync = sync ? 0 : _groupsSinceSync + 1;
                BinlogProgress progress;
                lock (_bufferGate)
                {
                    _progress = new BinlogProgress(target, sync ? target : _progress.Durable);
                    progress = _progress;
                    Recycle(chunks);
                }
                _onProgress(progress);
            }
        }
        catch (Exception e)
        {
            _stopping = true;
            _onFailure(e);
        }
    }

    /// <summary>Copies a group's items, whole, into the memory tail (a master's; nothing for a relay log).</summary>
    private void PublishToMemoryTail(List<PendingChunk> chunks)
    {
        if (_memoryTail is null || chunks.Count == 0)
            return;
        var items = new List<ShippedItem>();
        foreach (var chunk in chunks)
        {
            var bytes = chunk.Bytes.WrittenSpan;
            int start = 0;
            foreach (int end in chunk.ItemEnds)
            {
                items.Add(new ShippedItem(new BinlogPosition(chunk.FileNumber, chunk.FirstItemOffset + start), bytes[start..end].ToArray()));
                start = end;
            }
        }
        _memoryTail.Append(items, chunks[0].FirstItemLogical);
    }

    /// <summary>
    /// Writes a group, and syncs it when asked. When the disk is full, cuts off what the attempt left and tries the
    /// same bytes again after a pause, until they fit or the writer is disposed (false). Any other error is thrown.
    /// </summary>
    private bool WriteGroupUntilItFits(List<PendingChunk> chunks, bool sync)
    {
        TimeSpan? delay = null;
        while (true)
        {
            bool syncing = false;
            try
            {
                WriteChunks(chunks, () => syncing = true);
                if (sync)
                {
                    syncing = true;
                    BeforeGroupSync?.Invoke();
                    _file!.Flush(flushToDisk: true);
                }
                if (_blocked is not null)
                {
                    _blocked = null;
                    _onSpaceRecovered?.Invoke();
                }
                return true;
            }
            catch (IOException e) when (OutOfSpace.Is(e) && (!syncing || EverythingBeforeIsDurable()))
            {
                if (_blocked is null)
                {
                    _blocked = OutOfSpace.Describe(e);
                    _onOutOfSpace?.Invoke(e);
                }
            }
            CutOffAttempt(chunks);
            delay = OutOfSpace.NextRetryDelay(delay);
            try
            {
                Task.Delay(delay.Value, _time, _disposing.Token).Wait();
            }
            catch (AggregateException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// An fsync that failed may have dropped written pages of earlier groups too (the kernel forgets them): rewriting
    /// this group restores everything only when the groups before it were already durable (always under SyncBinlog=1).
    /// </summary>
    private bool EverythingBeforeIsDurable()
    {
        lock (_bufferGate)
            return _progress.Durable == _progress.Written;
    }

    /// <summary>Cuts the open segment back to where this group's bytes start in it: no half item stays behind.</summary>
    private void CutOffAttempt(List<PendingChunk> chunks)
    {
        var chunk = chunks.Find(c => c.FileNumber == _fileNumber);
        if (_file is null || chunk is null)
            return;
        try
        {
            _file.SetLength(chunk.FirstItemOffset);
        }
        catch (IOException)
        {
            // Shrinking needs no space; should it fail anyway, the next attempt writes over the same offsets.
        }
    }

    /// <summary>
    /// Waits for a group to write (or a sync to do) and takes it; null once stopping with nothing left,
    /// so the final sync asked for by Dispose is done before the flusher ends.
    /// </summary>
    private (List<PendingChunk> Chunks, BinlogPosition Target, bool ForceSync)? TakeGroup()
    {
        while (true)
        {
            lock (_bufferGate)
            {
                if (_pending.Count > 0 || _syncRequested)
                {
                    var chunks = _pending;
                    _pending = _spareList;
                    bool forceSync = _syncRequested;
                    _syncRequested = false;
                    return (chunks, _end, forceSync);
                }
                if (_stopping)
                    return null;
            }
            // SemaphoreSlim spins briefly before it blocks: the flusher picks the next group up sooner,
            // which keeps group commit latency low (with Monitor.Wait the three-node cluster did about 20% fewer
            // SETs per second under redis-benchmark -c 50: docs/BENCHMARKS.md, "Profiling the replicated write").
            _signal.Wait();
        }
    }

    /// <summary>Keeps written chunks for the next groups (under <see cref="_bufferGate"/>).</summary>
    private void Recycle(List<PendingChunk> chunks)
    {
        foreach (var chunk in chunks)
            if (_spareChunks.Count < MaxSpareChunks && chunk.Bytes.Capacity <= MaxSpareChunkBytes)
                _spareChunks.Push(chunk);
        chunks.Clear();
        _spareList = chunks;
    }

    /// <summary>
    /// Writes each chunk at its own offset, so that an attempt at a group can be repeated: a chunk of a segment an
    /// earlier attempt already closed (durably) is skipped, the others are written again over the same bytes.
    /// </summary>
    private void WriteChunks(List<PendingChunk> chunks, Action beforeSync)
    {
        foreach (var chunk in chunks)
        {
            if (chunk.FileNumber < _fileNumber || (chunk.FileNumber == _fileNumber && _file is null))
                continue;
            if (chunk.FileNumber != _fileNumber)
            {
                if (_file is not null)
                {
                    // Close the finished segment durably before items appear in the next one, whatever the policy:
                    // a sync asked for later only reaches the file being written then.
                    beforeSync();
                    _file.Flush(flushToDisk: true);
                    _file.Dispose();
                    _file = null;
                }
                _file = CreateSegment(chunk);
                _fileNumber = chunk.FileNumber;
            }
            _file!.Position = chunk.FirstItemOffset;
            _file.Write(chunk.Bytes.WrittenSpan);
        }
    }

    /// <summary>Creates the chunk's segment; a segment whose creation failed half-way holds no item and is removed.</summary>
    private FileStream CreateSegment(PendingChunk chunk)
    {
        var path = BinlogDirectory.SegmentPath(_directory, chunk.FileNumber);
        try
        {
            return BinlogDirectory.CreateSegment(_directory, chunk.FileNumber, chunk.StartLogicalOffset, chunk.FirstItemOffset);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Writes and syncs what is pending, then stops the flusher.</summary>
    public void Dispose()
    {
        lock (_bufferGate)
        {
            if (_stopping && !_flusher.IsAlive)
                return;
            _syncRequested = true;
            _stopping = true;
        }
        _disposing.Cancel();
        _signal.Release();
        _flusher.Join();
        _file?.Dispose();
        _disposing.Dispose();
    }
}
