using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>
/// One seeded run: a master and two or three slaves, each a core machine with a simulated disk, a simulated network
/// and a simulated clock, all driven by one <see cref="System.Random"/> made from the seed. Clients write (SET, SET PX,
/// INCR, APPEND, MULTI/EXEC) and read while faults are drawn from the seed; then the faults stop and every node must
/// converge to the master's data. The invariants (<see cref="SimInvariants"/>) are checked at every step.
/// </summary>
public sealed class Simulation
{
    internal const string ClusterId = "5eed5eed5eed5eed5eed5eed5eed5eed";
    internal const string Secret = "simulated-secret";
    internal const long UnixBaseMs = 1_800_000_000_000;

    private readonly PriorityQueue<Action, (long, long)> _events = new();
    private readonly List<string> _trace = new();
    private readonly SimSettings _settings;
    private long _sequence;
    private long _nextOpId;
    private int _sameTime;

    private Simulation(int seed, SimSettings settings)
    {
        Seed = seed;
        _settings = settings;
        Random = new Random(seed);
        int slaves = 2 + Random.Next(2);
        Options = new ProtocolOptions(
            LinkTimeoutMs: 200 + Random.Next(300),
            HandshakeTimeoutMs: 200,
            WindowItems: 4 + Random.Next(60),
            WindowBytes: 2_000 + Random.Next(60_000),
            AckCoalesceMs: Random.Next(3) == 0 ? 0 : 1 + Random.Next(5),
            CheckpointIntervalMs: 20 + Random.Next(100),
            MinBackoffMs: 10,
            MaxBackoffMs: 300,
            MaxBatchItems: 1 + Random.Next(16),
            MaxBatchBytes: 1_000 + Random.Next(8_000),
            Unsafe: settings.Unsafe);
        SemiSyncConfig = new SemiSyncConfig(true, SemiSyncWaitPoint.AfterSync, 1 + Random.Next(slaves), 100 + Random.Next(900), SemiSyncTrace.None);
        // Half the seeds rotate the binlog every few items (positions jump to the next file's header), half never.
        SegmentBytes = Random.Next(2) == 0 ? long.MaxValue : 150 + Random.Next(2_000);
        Network = new SimNetwork(this);
        Invariants = new SimInvariants(this);
        Master = new SimMaster(this);
        Slaves = Enumerable.Range(1, slaves).Select(i => new SimSlave(this, $"s{i}")).ToArray();
        SlaveIds = Slaves.Select(s => s.Id).ToArray();
    }

    public int Seed { get; }
    public long NowUs { get; private set; }
    public SimStats Stats { get; } = new();
    internal Random Random { get; }
    internal ProtocolOptions Options { get; }
    internal SemiSyncConfig SemiSyncConfig { get; private set; }
    /// <summary>The binlog's segment size: the master rotates to the next file once a segment reaches it.</summary>
    internal long SegmentBytes { get; }
    /// <summary>
    /// How long a restarted master waits for its slaves before it takes writes (the engine's HealWaitMs): longer than any
    /// outage the faults make (a partition of three link timeouts, a slow apply, backoffs), so that a slave holding a lost
    /// tail always reports before a write could fork history.
    /// </summary>
    internal long HealWaitMs => 10_000;
    internal SimNetwork Network { get; }
    internal SimInvariants Invariants { get; }
    internal SimHistory History { get; } = new();
    internal SimMaster Master { get; }
    internal SimSlave[] Slaves { get; }
    internal string[] SlaveIds { get; }

    /// <summary>Runs one seed to its end or its first violation.</summary>
    public static SimResult Run(int seed, SimSettings settings)
    {
        var sim = new Simulation(seed, settings);
        string? violation = null;
        try
        {
            sim.RunAll();
        }
        catch (SimViolation e)
        {
            violation = $"t={sim.NowUs / 1000.0:0.000} ms: {e.Message}";
            sim.Trace("VIOLATION " + e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or ArgumentException or NullReferenceException
                                      or KeyNotFoundException or IndexOutOfRangeException)
        {
            violation = $"t={sim.NowUs / 1000.0:0.000} ms: the simulation failed: {e.GetType().Name}: {e.Message}";
            sim.Trace("CRASHED " + e);
        }
        return new SimResult(seed, violation, sim._trace, sim.Stats);
    }

    internal void At(long atUs, Action action) => _events.Enqueue(action, (Math.Max(atUs, NowUs), _sequence++));

    internal bool Tracing => _settings.Trace;

    internal void Trace(string line)
    {
        if (_settings.Trace)
            _trace.Add($"{NowUs / 1000.0,10:0.000} ms  {line}");
    }

    internal void Trace([System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("")] ref TraceHandler line)
    {
        if (_settings.Trace)
            Trace(line.ToStringAndClear());
    }

    internal long DiskSyncUs() => 50 + Random.Next(Random.Next(10) == 0 ? 5_000 : 500);

    private void RunAll()
    {
        Trace($"seed {Seed}: {Slaves.Length} slaves, {Options}, {SemiSyncConfig}");
        Master.Start();
        foreach (var slave in Slaves)
            slave.Start();
        // Clients and faults during the active phase, checkpoints all along.
        for (long t = Random.Next(2_000); t < _settings.ActiveUs; t += 300 + Random.Next(4_000))
            At(t, ClientOp);
        for (long t = 20_000 + Random.Next(50_000); t < _settings.ActiveUs; t += 20_000 + Random.Next(120_000))
            At(t, Fault);
        ScheduleCheckpoints();
        RunUntil(_settings.ActiveUs);
        // The faults stop: heal, restart what is down, and wait for every node to converge.
        Trace("faults stop");
        long eventsAtStop = Stats.Events;
        Network.HealAll();
        if (!Master.Up)
            Master.Start();
        foreach (var slave in Slaves.Where(s => !s.Up))
            slave.Start();
        foreach (var slave in Slaves.Where(s => s.Machine?.Phase == SlavePhase.Diverged))
            throw new SimViolation($"{slave.Id} stopped as diverged (the master refused its history)");
        long deadline = NowUs + _settings.ConvergeWithinUs;
        long started = NowUs;
        while (NowUs < deadline)
        {
            RunUntil(NowUs + 20_000);
            if (Converged())
            {
                Stats.ConvergedAfterUs = NowUs - started;
                Stats.ConvergedAfterEvents = Stats.Events - eventsAtStop;
                if (Stats.ConvergedAfterEvents > _settings.ConvergeWithinEvents)
                    throw new SimViolation($"converged only after {Stats.ConvergedAfterEvents} events (bound {_settings.ConvergeWithinEvents})");
                CheckFinalDigests();
                return;
            }
        }
        throw new SimViolation($"not converged {_settings.ConvergeWithinUs / 1_000_000.0:0.#} s after the faults stopped: {Describe()}");
    }

    private void RunUntil(long endUs)
    {
        while (_events.TryPeek(out _, out var when) && when.Item1 <= endUs)
        {
            var action = _events.Dequeue();
            _sameTime = when.Item1 > NowUs ? 0 : _sameTime + 1;
            if (_sameTime > 100_000)
                throw new SimViolation($"livelock: over 100,000 steps at t={NowUs} us without time passing");
            NowUs = Math.Max(NowUs, when.Item1);
            Stats.Events++;
            action();
        }
        NowUs = Math.Max(NowUs, endUs);
    }

    private void ScheduleCheckpoints()
    {
        At(NowUs + 30_000 + Random.Next(100_000), () =>
        {
            Master.Checkpoint(purge: Random.Next(3) == 0);
            ScheduleCheckpoints();
        });
    }

    private bool Converged()
    {
        if (!Master.Up || Master.Binlog.SyncedEnd != Master.Binlog.End)
            return false;
        var end = Master.Binlog.End;
        foreach (var slave in Slaves)
            if (!slave.Up || slave.Machine!.Phase != SlavePhase.Streaming || slave.TrueApplied != end || !slave.ApplyIdle)
                return false;
        return true;
    }

    private void CheckFinalDigests()
    {
        var end = Master.Binlog.End;
        if (History.End != end)
            throw new SimViolation($"the master's binlog ends at {end}, its durable history at {History.End}");
        string oracle = History.DigestUpTo(end);
        string master = Master.Keyspace.DigestHex();
        if (master != oracle)
            throw new SimViolation($"the master's data {master} is not its history's {oracle} at {end}");
        foreach (var slave in Slaves)
            if (slave.Keyspace.DigestHex() is var digest && digest != master)
                throw new SimViolation($"{slave.Id} converged to {end} with digest {digest}, the master's is {master}");
        Trace($"converged at {end}: every node's digest is {master}");
    }

    private string Describe() =>
        $"master {(Master.Up ? "up" : "down")} end {Master.Binlog.End} synced {Master.Binlog.SyncedEnd}; " +
        string.Join("; ", Slaves.Select(s => $"{s.Id} {(s.Up ? s.Machine!.Phase.ToString() : "down")} applied {s.TrueApplied} relay {s.Relay.Start}..{s.Relay.End}"));

    // ---- clients ----

    private static readonly string[] StringKeys = ["s0", "s1", "s2", "s3"];
    private static readonly string[] CounterKeys = ["c0", "c1", "c2"];

    private void ClientOp()
    {
        if (!Master.Up)
            return;
        long id = ++_nextOpId;
        string s = StringKeys[Random.Next(StringKeys.Length)];
        string c = CounterKeys[Random.Next(CounterKeys.Length)];
        (string Text, string[][] Commands, string[] Keys) op = Random.Next(10) switch
        {
            0 => ($"SET {s} v{id}", [["SET", s, $"v{id}"]], [s]),
            1 => ($"SET {s} v{id} PX", [["SET", s, $"v{id}", "PX", (1 + Random.Next(200)).ToString()]], [s]),
            2 or 3 => ($"APPEND {s} .{id}", [["APPEND", s, $".{id}"]], [s]),
            4 or 5 => ($"INCR {c}", [["INCR", c]], [c]),
            6 => ($"MULTI INCR {c} APPEND {s} EXEC", [["INCR", c], ["APPEND", s, $"+{id}"]], [c, s]),
            7 => ($"GET {c}", [["GET", c]], [c]),
            8 => ($"GET {s}", [["GET", s]], [s]),
            _ => ("WAIT", [], []),
        };
        if (op.Text == "WAIT")
        {
            // Redis's WAIT after the client's last write: some slaves, a timeout (now and then none).
            Master.Wait(id, 1 + Random.Next(Slaves.Length), Random.Next(10) == 0 ? null : 1 + Random.Next(300));
            return;
        }
        var commands = op.Commands.Select(cmd => cmd.Select(a => System.Text.Encoding.ASCII.GetBytes(a)).ToArray()).ToArray();
        var keys = op.Keys.Select(k => System.Text.Encoding.ASCII.GetBytes(k)).ToArray();
        // One op in four runs in database 1 (SELECT 1): its item's effects start with a SELECT.
        int database = Random.Next(4) == 0 ? 1 : 0;
        Master.Execute(new SimOp(id, database == 0 ? op.Text : $"SELECT 1; {op.Text}", commands, keys, database));
    }

    // ---- faults ----

    private void Fault()
    {
        Stats.Faults++;
        var slave = Slaves[Random.Next(Slaves.Length)];
        switch (Random.Next(12))
        {
            case 0 or 1:
                Trace($"FAULT break the link of {slave.Id}");
                Network.Break(slave);
                break;
            case 2:
                long delay = 1_000 + Random.Next(40_000);
                Trace($"FAULT delay {slave.Id}'s link by {delay} us");
                Network.Delay(slave, 50_000 + Random.Next(300_000), delay);
                break;
            case 3 or 4:
                long partition = 10_000 + Random.Next(Random.Next(2) == 0 ? 100_000 : (int)Options.LinkTimeoutMs * 3000);
                Trace($"FAULT partition {slave.Id} for {partition} us");
                Network.Partition(slave, partition);
                break;
            case 5 or 6:
                if (!slave.Up)
                    break;
                Stats.Crashes++;
                slave.Crash();
                Network.NodeCrashed(slave);
                At(NowUs + 1_000 + Random.Next(150_000), () => { if (!slave.Up) slave.Start(); });
                break;
            case 7:
                if (!Master.Up)
                    break;
                Stats.Crashes++;
                Master.Crash();
                Network.NodeCrashed(null);
                if (Random.Next(3) == 0)
                    LoseMasterTail();
                At(NowUs + 1_000 + Random.Next(150_000), () => { if (!Master.Up) Master.Start(); });
                break;
            case 8:
                Trace($"FAULT {slave.Id}'s next apply is slower than the link timeout");
                slave.SlowNextApply = true;
                break;
            case 9:
                ChangeSemiSync();
                break;
            case 10:
                // Not while the master lacks a tail: the full resync would drop what only the slaves still hold (an
                // operator's choice to lose it, not the protocol's).
                if (slave.Up && Master.TailLostFrom is null)
                {
                    Trace($"FAULT an operator asks {slave.Id} for a full resync");
                    slave.Do(m => m.RequestFullResync(NowUs));
                }
                break;
            default:
                Trace("FAULT master checkpoint and purge");
                Master.Checkpoint(purge: true);
                break;
        }
    }

    /// <summary>
    /// Damaged storage, or a data directory restored from an older copy: the crashed master's binlog loses items from a cut
    /// that every slave's relay log still reaches (so a slave ahead can send them back) and that one slave holds synced
    /// whole (so nothing acknowledged is really gone). The master must take them back before it writes again.
    /// </summary>
    private void LoseMasterTail()
    {
        var end = Master.Binlog.End;
        if (!Slaves.Any(s => s.Relay.SyncedEnd >= end && s.Relay.Count > 0))
            return;
        var floor = BinlogPosition.Max(Master.Store.Position, Master.Binlog.Start);
        foreach (var s in Slaves)
            floor = BinlogPosition.Max(floor, s.Relay.Start);
        // At least one item stays: a master whose binlog lost everything holds no history (the engine starts it as a new
        // node with a new cluster id, which its slaves refuse); the heal wait is for a master that holds some.
        var starts = Master.Binlog.ItemsFrom(floor).Select(i => i.Start).Where(p => p > SimLog.FirstItem).ToArray();
        if (starts.Length == 0)
            return;
        Master.LoseTail(starts[Random.Next(starts.Length)]);
    }

    private void ChangeSemiSync()
    {
        var next = SemiSyncConfig with
        {
            Enabled = Random.Next(6) != 0,
            WaitPoint = Random.Next(8) == 0 ? SemiSyncWaitPoint.AfterCommit : SemiSyncWaitPoint.AfterSync,
            WaitForSlaveCount = 1 + Random.Next(Slaves.Length),
            TimeoutMs = 50 + Random.Next(1_000),
        };
        if (SemiSyncConfig.WaitPoint == SemiSyncWaitPoint.AfterCommit && Master.Machine is { } machine)
            Invariants.WeakVisibleThrough = machine.Visible; // what AfterCommit made visible stays visible
        Trace($"FAULT semi-sync settings {next}");
        SemiSyncConfig = next;
        if (Master.Up)
            Master.Configure(next);
    }
}
