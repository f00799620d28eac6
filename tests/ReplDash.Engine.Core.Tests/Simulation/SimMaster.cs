using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>A client operation and what the invariants need to know about it.</summary>
internal sealed class SimOp(long id, string text, byte[][][] commands, byte[][] keys)
{
    public long Id { get; } = id;
    public string Text { get; } = text;
    public byte[][][] Commands { get; } = commands;
    public byte[][] Keys { get; } = keys;
    public SimItem? Item { get; set; }
    /// <summary>For a read: the newest write of its key when it ran (null: none).</summary>
    public SimItem? ReadsWrite { get; set; }
    public BinlogPosition Dependency { get; set; }
}

/// <summary>
/// The master's driver in the simulation: a <see cref="MasterMachine"/> over a simulated binlog and store, running
/// client commands against a real keyspace (the core's command table) and carrying out each Ready in its order.
/// </summary>
internal sealed class SimMaster(Simulation sim) : IMasterLog
{
    public const string Id = "m1";
    private readonly Dictionary<long, SimOp> _waitingWrites = new();
    private readonly List<SimOp> _heldReads = new();
    private readonly Dictionary<string, SimItem> _lastWriteOf = new(StringComparer.Ordinal);
    private PendingWriteIndex _pending = new(BinlogPosition.Zero);
    private bool _syncInFlight;
    private BinlogPosition _syncWanted;
    private long _tickAt = long.MaxValue;

    public bool Up { get; private set; }
    public int Epoch { get; private set; }
    public MasterMachine? Machine { get; private set; }
    public SimLog Binlog { get; } = new();
    public KeyspaceStore Keyspace { get; private set; } = new();
    /// <summary>
    /// The last checkpoint: data and the position it reflects, written together, with the committed position (readers
    /// could see everything before it) as the engine's checkpoint records it.
    /// </summary>
    public (List<StoredEntry> Entries, BinlogPosition Position, long LastSequence, TransactionId LastId, BinlogPosition Committed) Store
    { get; private set; } = ([], SimLog.FirstItem, 0, TransactionId.None, SimLog.FirstItem);

    public void Start()
    {
        Up = true;
        Epoch++;
        // Recovery: the log as the crash left it (recovery synced it), the data from the checkpoint, the tail replayed.
        sim.History.Extend(Binlog);
        Keyspace = SimStore.Clone(Store.Entries);
        var applier = new ItemApplier(Keyspace);
        foreach (var item in Binlog.ItemsFrom(Store.Position))
            applier.Apply(Decode(item));
        long lastSequence = Binlog.LastId == TransactionId.None ? Store.LastSequence : Binlog.LastId.Sequence;
        // What the last checkpoint recorded as committed; the recovered binlog beyond it waits as a write does (the
        // safe rule), or counts as committed at once (the unsafe old rule, inside the machine).
        var committed = BinlogPosition.Max(Binlog.Start, BinlogPosition.Min(Store.Committed, Binlog.End));
        _pending = new PendingWriteIndex(committed);
        _waitingWrites.Clear();
        _heldReads.Clear();
        _lastWriteOf.Clear();
        RecordRecoveredWrites(committed);
        _syncInFlight = false;
        _syncWanted = default;
        _tickAt = long.MaxValue;
        Machine = new MasterMachine(new MasterIdentity(Id, Simulation.ClusterId, Simulation.Secret, sim.SlaveIds, sim.SemiSyncConfig),
            sim.Options, this, Binlog.End, lastSequence, committed, sim.NowUs);
        sim.Trace($"{Id} up: binlog {Binlog.Start}..{Binlog.End}, store at {Store.Position}, committed {committed}, last sequence {lastSequence}");
        Carry(Machine.TakeReady());
    }

    /// <summary>
    /// Who wrote which key, from the recovered binlog (reads are checked against it), and the keys of the tail beyond
    /// <paramref name="committed"/> as pending writes (their readers wait, as the engine's do).
    /// </summary>
    private void RecordRecoveredWrites(BinlogPosition committed)
    {
        foreach (var item in Binlog.ItemsFrom(Binlog.Start))
            foreach (var touched in KeysInDatabases.OfItem(Decode(item).Commands))
            {
                foreach (var key in touched.Keys)
                    _lastWriteOf[System.Text.Encoding.ASCII.GetString(key)] = item;
                if (item.End <= committed)
                    continue;
                if (touched.WholeDataset)
                    _pending.RecordWholeDataset(item.End);
                else
                    _pending.Record(item.End, touched.Database, touched.Keys);
            }
    }

    public void Crash()
    {
        // What AfterCommit made visible stays visible (the checkpoint recorded it as committed); the settings may turn
        // to AfterSync before the restart, when no machine is up to say so.
        if (Machine is { SemiSyncConfig.WaitPoint: SemiSyncWaitPoint.AfterCommit } machine)
            sim.Invariants.WeakVisibleThrough = BinlogPosition.Max(sim.Invariants.WeakVisibleThrough, machine.Visible);
        var what = Binlog.Crash(sim.Random);
        sim.Trace($"{Id} CRASH: binlog {what}; {_waitingWrites.Count} write(s) and {_heldReads.Count} read(s) never answered");
        Up = false;
        Epoch++;
        Machine = null;
        _waitingWrites.Clear();
        _heldReads.Clear();
    }

    /// <summary>Runs a client operation against memory; its reply waits as the machine says.</summary>
    public void Execute(SimOp op)
    {
        long nowMs = Simulation.UnixBaseMs + sim.NowUs / 1000;
        var context = new CommandContext(Keyspace, new ArrayBufferWriter<byte>(), nowMs, sim.Random);
        foreach (var command in op.Commands)
            CommandTable.Find(command[0])!.Handler(context, command);
        if (context.Effects.Count == 0)
        {
            sim.Stats.Reads++;
            string key = System.Text.Encoding.ASCII.GetString(op.Keys[0]);
            op.ReadsWrite = _lastWriteOf.GetValueOrDefault(key);
            op.Dependency = _pending.DependencyOf(0, op.Keys[0]); // the simulator writes in database 0
            if (op.Dependency <= Machine!.Visible)
                DeliverRead(op);
            else
                _heldReads.Add(op);
            return;
        }
        sim.Stats.Writes++;
        var append = Machine!.Propose(op.Id, BinlogItemType.Transaction, nowMs, context.Effects.ToArray(), sim.NowUs);
        op.Item = new SimItem(append.Start, append.Encoded, append.Id);
        _pending.Record(append.End, 0, op.Keys);
        foreach (var key in op.Keys)
            _lastWriteOf[System.Text.Encoding.ASCII.GetString(key)] = op.Item;
        _waitingWrites[op.Id] = op;
        sim.Trace($"{Id} write #{op.Id} {op.Text} -> {append.Id} at {append.Start}..{append.End}");
        Carry(Machine.TakeReady());
    }

    public void Tick()
    {
        _tickAt = long.MaxValue;
        if (!Up)
            return;
        Machine!.Tick(sim.NowUs);
        var ready = Machine.TakeReady();
        if (ready.NextTickUs <= sim.NowUs)
            throw new SimViolation($"{Id} asks for a tick at {ready.NextTickUs} right after a tick at {sim.NowUs}: a deadline that nothing moves");
        Carry(ready);
    }

    public void OnFrame(long linkId, ReplicationMessage message)
    {
        Machine!.OnFrame(linkId, message, sim.NowUs);
        Carry(Machine.TakeReady());
    }

    public void OnLinkUp(long linkId, byte[] nonce)
    {
        Machine!.OnLinkUp(linkId, nonce, sim.NowUs);
        Carry(Machine.TakeReady());
    }

    public void OnLinkDown(long linkId)
    {
        Machine!.OnLinkDown(linkId, sim.NowUs);
        Carry(Machine.TakeReady());
    }

    public void Configure(SemiSyncConfig config)
    {
        Machine!.Configure(config, sim.NowUs);
        Carry(Machine.TakeReady());
    }

    /// <summary>A checkpoint when memory is all durable, then (sometimes) a purge up to what no link needs.</summary>
    public void Checkpoint(bool purge)
    {
        if (!Up || Binlog.SyncedEnd != Binlog.End)
            return;
        Store = (Keyspace.ExportAll(), Binlog.End, Machine!.LastSequence, Binlog.LastId == TransactionId.None ? Store.LastId : Binlog.LastId,
            Machine.Visible);
        if (!purge)
            return;
        // A restart reads the binlog from the committed position on (the tail that waits): it stays.
        var floor = Machine.ProtectFloor is { } protect ? BinlogPosition.Min(protect, Store.Committed) : Store.Committed;
        Binlog.PurgeBefore(floor);
        sim.Trace($"{Id} checkpoint at {Store.Position}, binlog purged to {Binlog.Start}");
    }

    private void Carry(MasterReady ready)
    {
        int epoch = Epoch;
        foreach (var append in ready.Appends)
            Binlog.Append(new SimItem(append.Start, append.Encoded, append.Id));
        if (ready.SyncTo is { } syncTo)
        {
            _syncWanted = BinlogPosition.Max(_syncWanted, syncTo);
            StartSync();
        }
        foreach (var frame in ready.Frames)
            sim.Network.Send(fromMaster: true, frame.LinkId, frame.Message);
        bool switchedOff = ready.SemiSyncSwitches.Any(s => !s.On);
        foreach (var transition in ready.SemiSyncSwitches)
        {
            if (!transition.On)
                sim.Stats.SemiSyncOff++;
            sim.Trace($"{Id} semi-sync {(transition.On ? "ON" : "OFF")}: {transition.Reason}");
        }
        foreach (long requestId in ready.Released)
            if (_waitingWrites.Remove(requestId, out var op))
                sim.Invariants.WriteAcknowledged(op, Machine!, switchedOff);
        if (Machine is { } machine && Epoch == epoch)
            sim.Invariants.VisibleMoved(ready.Visible, machine, switchedOff);
        _pending.Commit(ready.Visible);
        if (_heldReads.Count > 0)
            foreach (var read in _heldReads.Where(r => r.Dependency <= ready.Visible).ToArray())
            {
                _heldReads.Remove(read);
                DeliverRead(read);
            }
        foreach (var close in ready.Closes)
            sim.Network.Close(fromMaster: true, close.LinkId, close.Reason);
        foreach (var e in ready.Events)
        {
            if (e.Kind == "window-corruption")
                sim.Stats.WindowCorruptions++;
            if (e.Kind == "link-timeout")
                sim.Stats.LinkTimeouts++;
            sim.Trace($"{Id} event {e.Kind}: {e.Message}");
        }
        if (ready.NextTickUs is long next && next < _tickAt)
        {
            _tickAt = next;
            sim.At(Math.Max(next, sim.NowUs), () => { if (Epoch == epoch && _tickAt == next) Tick(); });
        }
        foreach (long linkId in ready.SnapshotRequests)
        {
            if (Epoch != epoch)
                return;
            var entries = Keyspace.ExportAll();
            var begin = new SnapshotBegin(Machine!.End, Machine.End.Offset - SimLog.FirstItem.Offset,
                Binlog.LastId == TransactionId.None ? Store.LastId : Binlog.LastId, entries.Count);
            sim.Trace($"{Id} snapshot for link {linkId}: {entries.Count} keys at {begin.Tag}");
            sim.Stats.FullResyncs++;
            Machine.OnSnapshotReady(linkId, new MasterSnapshot(begin, MasterSnapshot.Chunk(entries, 4), new SnapshotEnd(Keyspace.DigestHex())), sim.NowUs);
            Carry(Machine.TakeReady());
        }
    }

    private void StartSync()
    {
        if (_syncInFlight || _syncWanted <= Binlog.SyncedEnd)
            return;
        _syncInFlight = true;
        var target = _syncWanted;
        int epoch = Epoch;
        sim.At(sim.NowUs + sim.DiskSyncUs(), () =>
        {
            if (Epoch != epoch)
                return;
            _syncInFlight = false;
            foreach (var item in Binlog.SyncUpTo(target))
                sim.History.Add(item);
            Machine!.OnSynced(target, sim.NowUs);
            Carry(Machine.TakeReady());
            StartSync();
        });
    }

    private void DeliverRead(SimOp read) => sim.Invariants.ReadAnswered(read, this);

    public IReadOnlyList<ShippedItem> Read(BinlogPosition from, BinlogPosition upTo, int maxItems, long maxBytes) =>
        Binlog.Read(from, upTo, maxItems, maxBytes);

    public long LogicalOffsetOf(BinlogPosition position) => position.Offset - SimLog.FirstItem.Offset;

    public MasterBinlogView View(BinlogPosition durableEnd, long lastSequence) =>
        new(Binlog.Start, Binlog.StartsAtBeginning, durableEnd,
            position => position <= durableEnd && Binlog.IsBoundary(position),
            position => Binlog.IdEndingAt(position),
            default, Id, lastSequence);

    public static BinlogItem Decode(SimItem item)
    {
        if (BinlogItemCodec.TryDecode(item.Encoded, out var decoded, out _) != ItemDecodeStatus.Ok)
            throw new SimViolation($"item at {item.Start} does not decode");
        return decoded!;
    }
}
