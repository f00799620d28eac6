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
internal sealed class SimOp(long id, string text, byte[][][] commands, byte[][] keys, int database = 0)
{
    /// <summary>The database the client SELECTed (its effects carry a SELECT when not 0).</summary>
    public int Database { get; } = database;
    public long Id { get; } = id;
    public string Text { get; } = text;
    public byte[][][] Commands { get; } = commands;
    public byte[][] Keys { get; } = keys;
    public SimItem? Item { get; set; }
    /// <summary>For a read: the newest write of its key when it ran (null: none).</summary>
    public SimItem? ReadsWrite { get; set; }
    public BinlogPosition Dependency { get; set; }
}

/// <summary>A client's WAIT: for <see cref="Wanted"/> slaves holding <see cref="Item"/> (its last write) synced, until its deadline.</summary>
internal sealed record SimWait(long Id, SimItem Item, int Wanted, long? DeadlineUs);

/// <summary>
/// The master's driver in the simulation: a <see cref="MasterMachine"/> over a simulated binlog and store, running
/// client commands against a real keyspace (the core's command table) and carrying out each Ready in its order.
/// </summary>
internal sealed class SimMaster(Simulation sim) : IMasterLog
{
    public const string Id = "m1";
    private readonly Dictionary<long, SimOp> _waitingWrites = new();
    private readonly Dictionary<long, SimWait> _waits = new();
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
    public KeyspaceDatabases Keyspace { get; private set; } = new(SimStore.Databases);
    /// <summary>
    /// The last checkpoint: data and the position it reflects, written together, with the committed position (readers
    /// could see everything before it) as the engine's checkpoint records it.
    /// </summary>
    public (List<StoredEntry> Entries, BinlogPosition Position, long LastSequence, TransactionId LastId, BinlogPosition Committed) Store
    { get; private set; } = ([], SimLog.FirstItem, 0, TransactionId.None, SimLog.FirstItem);
    /// <summary>The durable history's end when a fault cut the binlog's tail; null once the master holds it again.</summary>
    public BinlogPosition? TailLostFrom { get; private set; }
    /// <summary>The item of the last write proposed (what a WAIT waits for).</summary>
    public SimItem? LastWrite { get; private set; }

    public void Start()
    {
        Up = true;
        Epoch++;
        // Recovery: the log as the crash left it (recovery synced it), the data from the checkpoint, the tail replayed.
        sim.History.Extend(Binlog, tailLost: TailLostFrom is not null);
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
        _waits.Clear();
        _heldReads.Clear();
        _lastWriteOf.Clear();
        RecordRecoveredWrites(committed);
        LastWrite = null;
        _syncInFlight = false;
        _syncWanted = default;
        _tickAt = long.MaxValue;
        Machine = new MasterMachine(new MasterIdentity(Id, Simulation.ClusterId, Simulation.Secret, sim.SlaveIds, sim.SemiSyncConfig),
            sim.Options, this, Binlog.End, lastSequence, committed, sim.NowUs);
        // Lesson L5: a master that holds history waits for its slaves before it takes writes (one may hold more than it).
        if (Binlog.End != SimLog.FirstItem)
            Machine.AwaitSlaves(sim.HealWaitMs, sim.NowUs);
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
                    _lastWriteOf[$"{touched.Database}/{System.Text.Encoding.ASCII.GetString(key)}"] = item;
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
        _waits.Clear();
        _heldReads.Clear();
    }

    /// <summary>
    /// While down: the binlog loses its tail from <paramref name="cut"/> (damaged storage, a data directory restored from an
    /// older copy). The simulation only cuts what some slave holds synced, so nothing acknowledged is really gone: the master
    /// must take it back from that slave before it writes again.
    /// </summary>
    public void LoseTail(BinlogPosition cut)
    {
        var end = Binlog.End;
        int lost = Binlog.CutTail(cut);
        if (lost == 0)
            return;
        TailLostFrom = BinlogPosition.Max(TailLostFrom ?? end, end);
        sim.Stats.TailsLost++;
        sim.Trace($"{Id} FAULT binlog tail lost: {lost} item(s) from {cut} to {end} gone");
    }

    /// <summary>A client's WAIT numreplicas timeout after its last write.</summary>
    public void Wait(long id, int wanted, long? timeoutMs)
    {
        if (LastWrite is not { } item)
            return;
        var wait = new SimWait(id, item, wanted, timeoutMs is long ms ? sim.NowUs + ms * 1000 : null);
        _waits[id] = wait;
        sim.Trace($"{Id} WAIT #{id} {wanted} {timeoutMs} for {item.Id} ending at {item.End}");
        Machine!.Wait(id, item.End, wanted, timeoutMs, sim.NowUs);
        Carry(Machine.TakeReady());
    }

    /// <summary>Runs a client operation against memory; its reply waits as the machine says.</summary>
    public void Execute(SimOp op)
    {
        if (!Machine!.AcceptsWrites)
        {
            // LOADING: the master waits for its slaves, or one sends back items. Reads too: a GET that finds its key expired
            // logs a DEL, which would take the very position a slave's lost item holds.
            sim.Stats.WritesRefused++;
            return;
        }
        long nowMs = Simulation.UnixBaseMs + sim.NowUs / 1000;
        var context = new CommandContext(Keyspace, new ArrayBufferWriter<byte>(), nowMs, sim.Random) { Database = op.Database };
        foreach (var command in op.Commands)
            CommandTable.Find(command[0])!.Handler(context, command);
        if (context.Effects.Count == 0)
        {
            sim.Stats.Reads++;
            string key = System.Text.Encoding.ASCII.GetString(op.Keys[0]);
            op.ReadsWrite = _lastWriteOf.GetValueOrDefault($"{op.Database}/{key}");
            op.Dependency = _pending.DependencyOf(op.Database, op.Keys[0]);
            if (op.Dependency <= Machine!.Visible)
                DeliverRead(op);
            else
                _heldReads.Add(op);
            return;
        }
        sim.Stats.Writes++;
        var append = Machine!.Propose(op.Id, BinlogItemType.Transaction, nowMs, context.Effects.ToArray(), sim.NowUs);
        op.Item = LastWrite = new SimItem(append.Start, append.Encoded, append.Id);
        _pending.Record(append.End, op.Database, op.Keys);
        foreach (var key in op.Keys)
            _lastWriteOf[$"{op.Database}/{System.Text.Encoding.ASCII.GetString(key)}"] = op.Item;
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
        {
            if (append.Start.FileNumber != Binlog.End.FileNumber)
                sim.Stats.Rotations++;
            Binlog.Append(new SimItem(append.Start, append.Encoded, append.Id));
        }
        if (ready.TakenBack.Count > 0)
        {
            var applier = new ItemApplier(Keyspace);
            foreach (var item in ready.TakenBack)
                applier.Apply(item);
            _pending.RecordWholeDataset(Binlog.End);
            sim.Stats.ItemsTakenBack += ready.TakenBack.Count;
        }
        if (TailLostFrom is { } lostFrom && Binlog.End >= lostFrom)
            TailLostFrom = null;
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
        foreach (var (requestId, count) in ready.WaitReplies)
            if (_waits.Remove(requestId, out var wait))
                sim.Invariants.WaitAnswered(wait, count);
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
            var begin = new SnapshotBegin(Machine!.End, Binlog.LogicalOf(Machine.End),
                Binlog.LastId == TransactionId.None ? Store.LastId : Binlog.LastId, entries.Count);
            sim.Trace($"{Id} snapshot for link {linkId}: {entries.Count} keys at {begin.Tag}");
            sim.Stats.FullResyncs++;
            // A chunk carries one database's keys (ReplicationCodec), as the engine's SendSnapshotAsync sends them.
            var chunks = entries.GroupBy(e => e.Database).SelectMany(g => MasterSnapshot.Chunk(g.ToArray(), 4)).ToArray();
            Machine.OnSnapshotReady(linkId, new MasterSnapshot(begin, chunks, new SnapshotEnd(Keyspace.DigestHex())), sim.NowUs);
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

    public long LogicalOffsetOf(BinlogPosition position) => Binlog.LogicalOf(position);

    /// <summary>The binlog writer's rotation rule at the seed's segment size: once a segment reaches it, the next item opens the next file.</summary>
    public BinlogPosition NextItemStart(BinlogPosition end) =>
        end.Offset >= sim.SegmentBytes ? new BinlogPosition(end.FileNumber + 1, BinlogFormat.SegmentHeaderSize) : end;

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
