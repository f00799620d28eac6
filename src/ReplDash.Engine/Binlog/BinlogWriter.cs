using System.Buffers;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>What the writer has achieved: bytes handed to the OS, and bytes synced to disk.</summary>
public readonly record struct BinlogProgress(BinlogPosition Written, BinlogPosition Durable);

/// <summary>
/// Appends items to the binlog with group commit. <see cref="Append"/> only places the encoded item in an
/// in-memory group and returns its end position at once; a dedicated flusher thread writes each group
/// with one write call and, per the sync policy, one fsync, then reports progress. While one group is
/// being synced the next one fills, so many clients share each fsync.
/// </summary>
public sealed class BinlogWriter : IDisposable
{
    /// <summary>Bytes bound for one segment file. Chunks are reused: a fresh 64 KiB buffer per group
    /// (a slave's relay log writes a group per received batch) kept the GC busy for nothing.</summary>
    private sealed class PendingChunk
    {
        public long FileNumber { get; private set; }
        public long StartLogicalOffset { get; private set; }
        public int FirstItemOffset { get; private set; }
        public ArrayBufferWriter<byte> Bytes { get; } = new(64 * 1024);

        public PendingChunk Reset(long fileNumber, long startLogicalOffset, int firstItemOffset)
        {
            FileNumber = fileNumber;
            StartLogicalOffset = startLogicalOffset;
            FirstItemOffset = firstItemOffset;
            Bytes.ResetWrittenCount();
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
    private FileStream _file;
    private long _fileNumber;
    private int _groupsSinceSync;
    private BinlogProgress _progress;

    /// <summary>Fault point: pause before each group write (a slow disk). Zero in normal runs.</summary>
    public int WriteDelayMs { get; init; }

    /// <param name="recovered">The binlog as recovery left it.</param>
    /// <param name="syncEveryGroups">1: fsync every group; N: every N groups; 0: never (the OS decides), except when asked.</param>
    /// <param name="segmentBytes">Rotate to a new segment once a file reaches this size.</param>
    /// <param name="onProgress">Called on the flusher thread after each group.</param>
    /// <param name="onFailure">Called once if writing fails; the writer then stops.</param>
    public BinlogWriter(RecoveredBinlog recovered, int syncEveryGroups, long segmentBytes,
        Action<BinlogProgress> onProgress, Action<Exception> onFailure)
    {
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
            _pending.Add(chunk.Reset(start.FileNumber, _segmentStartLogical, (int)start.Offset));
        }
        return _pending[^1];
    }

    private (BinlogPosition Start, BinlogPosition End) Appended(BinlogPosition start, int size)
    {
        _end = new BinlogPosition(start.FileNumber, start.Offset + size);
        _endLogical += size;
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
                    Thread.Sleep(WriteDelayMs);
                WriteChunks(chunks);
                _groupsSinceSync++;
                bool sync = forceSync || (_syncEveryGroups > 0 && _groupsSinceSync >= _syncEveryGroups);
                if (sync)
                {
                    _file.Flush(flushToDisk: true);
                    _groupsSinceSync = 0;
                }
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

    private void WriteChunks(List<PendingChunk> chunks)
    {
        foreach (var chunk in chunks)
        {
            if (chunk.FileNumber != _fileNumber)
            {
                // Close the finished segment durably before items appear in the next one, whatever the policy:
                // a sync asked for later only reaches the file being written then.
                _file.Flush(flushToDisk: true);
                _file.Dispose();
                _file = BinlogDirectory.CreateSegment(_directory, chunk.FileNumber, chunk.StartLogicalOffset, chunk.FirstItemOffset);
                _fileNumber = chunk.FileNumber;
            }
            _file.Write(chunk.Bytes.WrittenSpan);
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
        _signal.Release();
        _flusher.Join();
        _file.Dispose();
    }
}
