using System.Collections.Concurrent;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Node;

/// <summary>The master's side of replication: what its sync sessions need from the node.</summary>
public sealed partial class DataNode
{
    private readonly ConcurrentDictionary<long, SlaveLink> _slaveLinks = new();
    private long _nextLinkId;

    /// <summary>The slaves connected now (master only), each as an immutable snapshot of its link.</summary>
    public IReadOnlyList<SlaveLinkStatus> SlaveLinks => _slaveLinks.Values.Select(link => link.Snapshot()).ToList();

    /// <summary>
    /// Registers a new link for <paramref name="slaveId"/>, unless that id already has one (one link per slave identity:
    /// then null, and <paramref name="holder"/> is the link that holds it). Remove the result when the link ends.
    /// </summary>
    public SlaveLink? TryAddSlaveLink(string slaveId, string address, out SlaveLink? holder)
    {
        lock (_slaveIdentityGate)
        {
            holder = _slaveLinks.Values.FirstOrDefault(l => l.SlaveId == slaveId);
            if (holder is not null)
                return null;
            var link = new SlaveLink(Interlocked.Increment(ref _nextLinkId), slaveId, address, _time.GetUtcNow());
            _slaveLinks[link.LinkId] = link;
            return link;
        }
    }

    /// <summary>Unregisters a link that ended; its acknowledgement no longer counts.</summary>
    public void RemoveSlaveLink(SlaveLink link)
    {
        lock (_slaveIdentityGate)
            _slaveLinks.TryRemove(link.LinkId, out _);
        SignalSlaveLinkRemoved();
        OnSlaveLinksChanged();
    }

    /// <summary>
    /// Everything before this may be shipped to slaves: durable under SyncBinlog=1, written otherwise. Never
    /// more: a slave must not hold what a crash of the master could take back (lesson L4).
    /// </summary>
    public BinlogPosition ShippableEnd => _logged.Reached;

    /// <summary>Completes once something after <paramref name="position"/> may be shipped.</summary>
    public Task WaitShippableBeyondAsync(BinlogPosition position) =>
        _logged.WaitAsync(position with { Offset = position.Offset + 1 });

    /// <summary>Records an event from a sync session.</summary>
    public void PublishEvent(string kind, string message) => Publish(kind, message);

    /// <summary>What TrySync needs to know about this master's binlog.</summary>
    public MasterBinlogView BinlogView()
    {
        long sequence;
        lock (_gate)
            sequence = _sequence;
        return MasterLog.View(ShippableEnd, sequence);
    }

    /// <summary>
    /// A consistent copy of the data and the binlog position it reflects (the snapshot of a full resync),
    /// returned once the binlog is durable up to that position. Writes pause while the copy is taken.
    /// </summary>
    public async Task<(List<StoredEntry> Entries, string Digest, BinlogPosition Tag, long TagLogical, TransactionId TagId)> SnapshotAsync()
    {
        List<StoredEntry> entries;
        string digest;
        BinlogPosition tag;
        long tagLogical;
        TransactionId tagId;
        lock (_gate)
        {
            EnsureRunning();
            entries = _keyspace.ExportAll();
            digest = _keyspace.DigestHex();
            // On a master the data always reflects the whole binlog: applied = the log's end.
            tag = _applied;
            tagLogical = _appliedLogical;
            tagId = _lastTransactionId;
        }
        await _logged.WaitAsync(tag); // durable, as anything shipped must be (not necessarily acknowledged)
        return (entries, digest, tag, tagLogical, tagId);
    }

    /// <summary>Logical offset (bytes of items before it, Redis's repl offset) of an item boundary.</summary>
    public long LogicalOffsetOf(BinlogPosition position) => MasterLog.LogicalOffsetOf(position);

    private long _windowCorruptions;

    /// <summary>Acks refused because they did not match the sync window, since start.</summary>
    public long WindowCorruptions => Interlocked.Read(ref _windowCorruptions);

    public void CountWindowCorruption() => Interlocked.Increment(ref _windowCorruptions);

    private TaskCompletionSource _ackSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called by a sync session after each valid ack: wakes WAIT commands.</summary>
    public void NotifyAck() =>
        Interlocked.Exchange(ref _ackSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    // WAIT commands waiting for acks now.
    private int _waitCommands;
    private TaskCompletionSource _promptAckRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a WAIT wants the acks of items already sent (each sync session then asks its slave).</summary>
    public Task PromptAckRequested => Volatile.Read(ref _promptAckRequest).Task;

    private void RequestPromptAcks() =>
        Interlocked.Exchange(ref _promptAckRequest, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// True while something waits for slaves' acks (semi-sync enabled, a WAIT command): batches then ask for an
    /// ack at once. Otherwise slaves may coalesce acks for up to ReplDash:Replication:AckCoalesceMs.
    /// </summary>
    public bool WaitsForAcks => _semiSyncEnabled || Volatile.Read(ref _waitCommands) > 0;

    /// <summary>Slaves whose relay log holds everything before <paramref name="target"/> durably (acknowledged).</summary>
    public int CountSlavesAcknowledged(BinlogPosition target) => StreamingAcks().Count(acked => acked >= target);

    /// <summary>
    /// What each streaming slave has acknowledged (synced to its relay log), one position per accepted slave identity:
    /// semi-sync and WAIT count slaves, not links, and an id this master does not accept never counts.
    /// </summary>
    private List<BinlogPosition> StreamingAcks()
    {
        var acks = new Dictionary<string, BinlogPosition>(StringComparer.Ordinal);
        foreach (var link in _slaveLinks.Values)
            if (link.TryGetStreamingAck(out var acked) && AcceptsSlave(link.SlaveId))
                // Registration keeps one link per id; were there two, the id counts only as far as both acknowledged.
                acks[link.SlaveId] = acks.TryGetValue(link.SlaveId, out var other) ? BinlogPosition.Min(other, acked) : acked;
        return acks.Values.ToList();
    }

    /// <summary>
    /// Redis's WAIT: waits until <paramref name="wanted"/> slaves acknowledged <paramref name="target"/> (synced to
    /// their relay log) or <paramref name="timeout"/> passes (null: no limit); returns how many did.
    /// </summary>
    public async Task<int> WaitForSlavesAsync(BinlogPosition target, int wanted, TimeSpan? timeout)
    {
        var now = _time.GetUtcNow();
        // Saturating: a timeout beyond the calendar's end means no limit, not an exception.
        var deadline = timeout is { } limit && limit < DateTimeOffset.MaxValue - now ? now + limit : DateTimeOffset.MaxValue;
        Interlocked.Increment(ref _waitCommands);
        try
        {
            // Items already sent went out without asking for an ack at once: ask now (Redis's REPLCONF GETACK).
            if (CountSlavesAcknowledged(target) < wanted)
                RequestPromptAcks();
            return await CountAcksUntilAsync(target, wanted, deadline);
        }
        finally
        {
            Interlocked.Decrement(ref _waitCommands);
        }
    }

    private async Task<int> CountAcksUntilAsync(BinlogPosition target, int wanted, DateTimeOffset deadline)
    {
        while (true)
        {
            // Take the signal before counting, so an ack that lands in between is not missed.
            var signal = Volatile.Read(ref _ackSignal).Task;
            int count = CountSlavesAcknowledged(target);
            var left = deadline - _time.GetUtcNow();
            if (count >= wanted || left <= TimeSpan.Zero || _stopping.IsCancellationRequested)
                return count;
            // At most one timer slice at a time: a .NET timer refuses waits beyond about 49.7 days.
            var wait = deadline == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : TimerSlices.Clamp(left);
            try
            {
                await signal.WaitAsync(wait, _time, _stopping.Token);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Deadline or shutdown: the loop answers with the count reached.
            }
        }
    }

    // The flusher's window of recently flushed items (master only): caught-up slaves are shipped from it.
    private BinlogMemoryTail? _memoryTail;
    private MasterLog? _masterLog;

    /// <summary>
    /// This node's binlog as the master's protocol reads it: recent items from memory, older ones from the files (only
    /// the files before the log is open).
    /// </summary>
    public MasterLog MasterLog => _masterLog ?? new MasterLog(_settings.LogDirectory, null, Id, () => DamagedThrough);

    /// <summary>A reader of this master's binlog from <paramref name="from"/>: the files while catching up, then memory.</summary>
    public MasterLogReader OpenTail(BinlogPosition from) => new(_settings.LogDirectory, _memoryTail, from);
}
