using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>A node's store image: the data and the position it reflects, written in one transaction.</summary>
internal static class SimStore
{
    /// <summary>Databases per node in the simulation (clients write in 0 and 1: SELECT effects in items).</summary>
    public const int Databases = 2;

    public static KeyspaceDatabases Clone(IReadOnlyList<StoredEntry> entries)
    {
        var keyspace = new KeyspaceDatabases(Databases);
        foreach (var entry in entries)
            keyspace.Load(entry);
        return keyspace;
    }
}

/// <summary>
/// A slave's driver in the simulation: a <see cref="SlaveMachine"/> over a simulated relay log and store, with an applier
/// that takes simulated time per item (and, under the slow-apply fault, longer than the link timeout).
/// </summary>
internal sealed class SimSlave(Simulation sim, string id)
{
    private readonly Queue<ApplyItem> _applyQueue = new();
    private bool _applying;
    private int _applyGeneration;
    private bool _syncInFlight;
    private BinlogPosition _syncWanted;
    private long _tickAt = long.MaxValue;
    private List<StoredEntry>? _loading;

    public string Id { get; } = id;
    public bool Up { get; private set; }
    public int Epoch { get; private set; }
    public SlaveMachine? Machine { get; private set; }
    public SimLog Relay { get; } = new();
    public KeyspaceDatabases Keyspace { get; private set; } = new(SimStore.Databases);
    private ItemApplier _applier = null!;
    /// <summary>Ground truth: the end of the last item really applied to <see cref="Keyspace"/> (Zero: none).</summary>
    public BinlogPosition TrueApplied { get; private set; }
    /// <summary>The store: data, the applied position the machine gave, and the ground truth it holds.</summary>
    public (List<StoredEntry> Entries, PositionMark Mark, BinlogPosition TrueApplied) Store { get; private set; } = ([], new PositionMark(default, 0, TransactionId.None), default);
    /// <summary>UNSAFE switch only: the applied position in a file of its own.</summary>
    public PositionMark? PositionFile { get; private set; }
    /// <summary>The next apply takes longer than the link timeout (the Pika failure).</summary>
    public bool SlowNextApply { get; set; }
    public bool ApplyIdle => !_applying && _applyQueue.Count == 0;

    public void Start()
    {
        Up = true;
        Epoch++;
        _applyQueue.Clear();
        _applying = false;
        _applyGeneration++;
        _syncInFlight = false;
        _syncWanted = default;
        _tickAt = long.MaxValue;
        _loading = null;
        // Recovery (lesson L3): the data as checkpointed, the applied position trusted, the relay log replayed after it.
        Keyspace = SimStore.Clone(Store.Entries);
        _applier = new ItemApplier(Keyspace);
        TrueApplied = Store.TrueApplied;
        var trusted = SlaveRecovery.TrustedApplied(Store.Mark, PositionFile, sim.Options);
        var applied = trusted;
        foreach (var item in Relay.ItemsFrom(trusted.Position).ToArray())
        {
            var decoded = SimMaster.Decode(item);
            ApplyChecked(item.Start, item.End, decoded, "replay after restart");
            applied = new PositionMark(item.End, sim.History.LogicalOf(item.End), item.Id);
        }
        var received = Relay.Count > 0
            ? new PositionMark(Relay.End, sim.History.LogicalOf(Relay.End), Relay.LastId)
            : trusted.Position > Store.Mark.Position ? applied : Store.Mark;
        Machine = new SlaveMachine(new SlaveIdentity(Id, SimMaster.Id, Simulation.Secret, Store.Mark.Position == BinlogPosition.Zero ? "" : Simulation.ClusterId),
            sim.Options, new SlaveStart(received, applied), sim.NowUs);
        sim.Trace($"{Id} up: relay {Relay.Start}..{Relay.End}, store at {Store.Mark.Position}, trusted applied {trusted.Position}, applied {applied.Position}");
        Machine.Start(sim.NowUs);
        Carry(Machine.TakeReady());
    }

    public void Crash()
    {
        var what = Relay.Crash(sim.Random);
        sim.Trace($"{Id} CRASH: relay {what}; {_applyQueue.Count} apply(ies) queued lost");
        Up = false;
        Epoch++;
        Machine = null;
        _applyQueue.Clear();
        _applying = false;
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

    public void Do(Action<SlaveMachine> input)
    {
        input(Machine!);
        Carry(Machine!.TakeReady());
    }

    private void Carry(SlaveReady ready)
    {
        int epoch = Epoch;
        if (ready.Dial)
            sim.Network.Dial(this);
        foreach (var append in ready.RelayAppends)
        {
            sim.Invariants.RelayAppend(this, append);
            if (Relay.Count == 0 && Relay.End != append.Start)
                Relay.Reset(append.Start);
            Relay.Append(new SimItem(append.Start, append.Encoded, append.Id));
        }
        foreach (var apply in ready.Applies)
            _applyQueue.Enqueue(apply);
        RunApplier();
        if (ready.RelaySyncTo is { } syncTo)
        {
            _syncWanted = BinlogPosition.Max(_syncWanted, syncTo);
            StartSync();
        }
        if (ready.Checkpoint is { } mark)
        {
            sim.Invariants.Checkpoint(this, mark);
            Store = (Keyspace.ExportAll(), mark, TrueApplied);
            sim.Trace($"{Id} checkpoint at {mark.Position}");
        }
        if (ready.AppliedPositionFile is { } file)
            PositionFile = file;
        if (ready.SnapshotBegin is not null)
            _loading = new List<StoredEntry>();
        foreach (var chunk in ready.SnapshotChunks)
            _loading?.AddRange(chunk.Entries);
        foreach (var frame in ready.Frames)
        {
            if (frame.Message is Ack ack)
                sim.Invariants.AckSent(this, ack);
            sim.Network.Send(fromMaster: false, frame.LinkId, frame.Message);
        }
        if (ready.TailRead is { } tailRead && Epoch == epoch)
        {
            // Lesson L5: the master asks for what it lost; the relay log holds it at the master's own positions.
            var items = Relay.ItemsBetween(tailRead.From, tailRead.Until);
            sim.Trace($"{Id} sends back {(items is null ? "nothing: the relay log does not hold" : $"{items.Count} item(s)")} {tailRead.From}..{tailRead.Until}");
            Do(m => m.OnTailRead(items, items is null ? $"the relay log holds {Relay.Start}..{Relay.End}" : null, sim.NowUs));
        }
        if (ready.Close is { } close)
            sim.Network.Close(fromMaster: false, close.LinkId, close.Reason);
        foreach (var e in ready.Events)
            sim.Trace($"{Id} event {e.Kind}: {e.Message}");
        if (ready.SnapshotCommit is { } commit && Epoch == epoch)
            LoadSnapshot(commit);
        if (Epoch == epoch && Machine is not null && ready.NextTickUs is long next && next < _tickAt)
        {
            _tickAt = next;
            sim.At(Math.Max(next, sim.NowUs), () => { if (Epoch == epoch && _tickAt == next) Tick(); });
        }
    }

    /// <summary>Loads the snapshot aside, checks its digest, then swaps data, store and relay log in one step.</summary>
    private void LoadSnapshot(SnapshotCommit commit)
    {
        var loaded = SimStore.Clone(_loading ?? []);
        _loading = null;
        if (loaded.DigestHex() != commit.Digest)
        {
            Do(m => m.OnSnapshotFailed("digest mismatch", sim.NowUs));
            return;
        }
        var begin = commit.Begin;
        sim.Invariants.SnapshotLoaded(this, begin);
        Keyspace = loaded;
        _applier = new ItemApplier(Keyspace);
        TrueApplied = begin.Tag;
        var mark = new PositionMark(begin.Tag, begin.TagLogical, begin.TagId);
        Store = (Keyspace.ExportAll(), mark, begin.Tag);
        PositionFile = null;
        Relay.Reset(begin.Tag);
        _applyQueue.Clear();
        _applyGeneration++;
        _applying = false;
        sim.Trace($"{Id} snapshot loaded at {begin.Tag} ({begin.KeyCount} keys)");
        Do(m => m.OnSnapshotLoaded(sim.NowUs));
    }

    private void StartSync()
    {
        if (_syncInFlight || _syncWanted <= Relay.SyncedEnd)
            return;
        _syncInFlight = true;
        var target = _syncWanted;
        int epoch = Epoch;
        sim.At(sim.NowUs + sim.DiskSyncUs(), () =>
        {
            if (Epoch != epoch)
                return;
            _syncInFlight = false;
            Relay.SyncUpTo(target);
            Do(m => m.OnRelaySynced(Relay.SyncedEnd, sim.NowUs));
            StartSync();
        });
    }

    private void RunApplier()
    {
        if (_applying || _applyQueue.Count == 0 || !Up)
            return;
        _applying = true;
        var item = _applyQueue.Dequeue();
        long duration = SlowNextApply ? sim.Options.LinkTimeoutMs * 1000 * (12 + sim.Random.Next(20)) / 10 : 20 + sim.Random.Next(300);
        if (SlowNextApply)
            sim.Trace($"{Id} SLOW apply of {item.Item.Id} at {item.Start}: {duration} us");
        SlowNextApply = false;
        int epoch = Epoch, generation = _applyGeneration;
        sim.At(sim.NowUs + duration, () =>
        {
            if (Epoch != epoch || generation != _applyGeneration)
                return;
            _applying = false;
            ApplyChecked(item.Start, item.End, item.Item, "apply");
            Do(m => m.OnApplied(item.End, sim.NowUs));
            RunApplier();
        });
    }

    private void ApplyChecked(BinlogPosition start, BinlogPosition end, BinlogItem item, string what)
    {
        sim.Invariants.Applying(this, start, item, what);
        _applier.Apply(item);
        TrueApplied = end;
    }
}
