using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>
/// The invariants, checked against the simulation's ground truth (simulated disks and the durable history), never
/// against what a machine believes. Each throws <see cref="SimViolation"/> at the step that breaks it.
/// </summary>
internal sealed class SimInvariants(Simulation sim)
{
    /// <summary>While semi-sync was AfterCommit, readers could see writes up to here without acks (documented weaker).</summary>
    public BinlogPosition WeakVisibleThrough { get; set; }

    /// <summary>
    /// Readers may see every write before this: replies released (each checked by <see cref="WriteAcknowledged"/>) and
    /// recovered tails made visible (checked by <see cref="VisibleMoved"/>). Kept across the master's restarts: the
    /// durable history never moves, and a restart makes nothing acknowledged.
    /// </summary>
    public BinlogPosition CommittedThrough { get; private set; }

    /// <summary>
    /// A write's reply goes out: it must be durable on the master; with semi-sync ON, also synced in the relay logs (or
    /// stores) of WaitForSlaveCount slaves.
    /// </summary>
    public void WriteAcknowledged(SimOp op, MasterMachine machine, bool switchedOffThisStep)
    {
        var item = op.Item!;
        sim.Stats.Acknowledged++;
        if (sim.Master.Binlog.SyncedEnd < item.End || !sim.History.TryGet(item.Start, out _))
            throw new SimViolation($"write #{op.Id} ({item.Id}) answered OK before it was durable on the master (synced to {sim.Master.Binlog.SyncedEnd})");
        if (!machine.SemiSyncOn || switchedOffThisStep)
        {
            CommittedThrough = BinlogPosition.Max(CommittedThrough, item.End);
            return;
        }
        int holding = sim.Slaves.Count(s => HoldsDurably(s, item));
        int wanted = machine.SemiSyncConfig.WaitForSlaveCount;
        if (holding < wanted)
            throw new SimViolation($"write #{op.Id} ({item.Id} ending at {item.End}) answered OK with semi-sync ON while only {holding} of " +
                $"{wanted} slave(s) hold it synced: a master crash now would lose an acknowledged write");
        sim.Trace($"{SimMaster.Id} OK to write #{op.Id} ({item.Id}); {holding} slave(s) hold it synced");
        CommittedThrough = BinlogPosition.Max(CommittedThrough, item.End);
    }

    /// <summary>
    /// The master's visible position moved: the part of a restarted master's recovered tail it now shows readers must be
    /// acknowledged as a released write is (synced on WaitForSlaveCount slaves), unless semi-sync is OFF or AfterCommit.
    /// </summary>
    public void VisibleMoved(BinlogPosition visible, MasterMachine machine, bool switchedOffThisStep)
    {
        if (machine.RecoveredTail is not { } tail)
            return;
        var through = BinlogPosition.Min(visible, tail.To);
        var from = BinlogPosition.Max(CommittedThrough, WeakVisibleThrough);
        if (through <= from)
            return;
        if (machine.SemiSyncConfig.WaitPoint == SemiSyncWaitPoint.AfterSync && machine.SemiSyncOn && !switchedOffThisStep)
        {
            int wanted = machine.SemiSyncConfig.WaitForSlaveCount;
            foreach (var item in sim.History.ItemsEndingIn(from, through))
            {
                int holding = sim.Slaves.Count(s => HoldsDurably(s, item));
                if (holding < wanted)
                    throw new SimViolation($"the restarted master shows readers {item.Id} ending at {item.End} (recovered tail {tail.From}..{tail.To}) " +
                        $"with semi-sync ON while only {holding} of {wanted} slave(s) hold it synced: a write nobody acknowledged");
            }
        }
        CommittedThrough = through;
    }

    /// <summary>A read's reply goes out: what it read must be acknowledged (AfterSync) or durable (AfterCommit).</summary>
    public void ReadAnswered(SimOp read, SimMaster master)
    {
        if (read.ReadsWrite is not { } write)
            return;
        if (master.Machine!.SemiSyncConfig.WaitPoint == SemiSyncWaitPoint.AfterCommit)
        {
            if (master.Binlog.SyncedEnd < write.End)
                throw new SimViolation($"read #{read.Id} saw {write.Id}, not yet durable on the master");
            return;
        }
        var allowed = BinlogPosition.Max(CommittedThrough, WeakVisibleThrough);
        if (write.End > allowed)
            throw new SimViolation($"read #{read.Id} ({read.Text}) saw {write.Id} ending at {write.End}, a write not yet acknowledged " +
                $"(acknowledged through {allowed}, semi-sync {(master.Machine.SemiSyncOn ? "ON" : "OFF")}, AfterSync)");
    }

    /// <summary>A slave appends to its relay log: only the master's durable history, at its own position.</summary>
    public void RelayAppend(SimSlave slave, AppendItem append)
    {
        if (!sim.History.TryGet(append.Start, out var known) || !known.Encoded.AsSpan().SequenceEqual(append.Encoded))
            throw new SimViolation($"{slave.Id} received {append.Id} at {append.Start}, which is not in the master's durable history (shipped before durable?)");
        if (slave.Relay.Count > 0 && !SimLog.Follows(slave.Relay.End, append.Start))
            throw new SimViolation($"{slave.Id} appends {append.Id} at {append.Start} but its relay log ends at {slave.Relay.End}");
    }

    /// <summary>An item is applied: it must be the next item of the history after what the data holds (never twice, never skipped).</summary>
    public void Applying(SimSlave slave, BinlogPosition start, BinlogItem item, string what)
    {
        // The next item after what the data holds: where it ends, or the next segment's first item (the binlog rotated).
        var expected = slave.TrueApplied == BinlogPosition.Zero ? SimLog.FirstItem : sim.History.NextStartAfter(slave.TrueApplied);
        if (start != expected)
            throw new SimViolation(start < expected
                ? $"{slave.Id} applies {item.Id} at {start} again ({what}): its data already holds everything before {expected} (applied twice)"
                : $"{slave.Id} applies {item.Id} at {start} ({what}) but its data holds only up to {expected}: the items between are skipped");
        if (!sim.History.TryGet(start, out var known) || known.Id != item.Id)
            throw new SimViolation($"{slave.Id} applies {item.Id} at {start}, not the master's history there");
    }

    /// <summary>A checkpoint stores the data with its position: the position must describe the data, and the relay log hold it.</summary>
    public void Checkpoint(SimSlave slave, PositionMark mark)
    {
        if (mark.Position != slave.TrueApplied)
            throw new SimViolation($"{slave.Id} checkpoints its data as at {mark.Position}, but the data holds up to {slave.TrueApplied}");
        if (slave.Relay.SyncedEnd < mark.Position && slave.Store.Mark.Position < mark.Position)
            throw new SimViolation($"{slave.Id} checkpoints at {mark.Position} before its relay log is synced that far ({slave.Relay.SyncedEnd})");
    }

    /// <summary>An ack goes out: its range must be synced on this slave (sync before ack).</summary>
    public void AckSent(SimSlave slave, Ack ack)
    {
        if (slave.Relay.SyncedEnd < ack.RangeEnd && slave.Store.Mark.Position < ack.RangeEnd)
            throw new SimViolation($"{slave.Id} acknowledges up to {ack.RangeEnd} while its relay log is synced only to {slave.Relay.SyncedEnd}");
    }

    /// <summary>A snapshot is swapped in: its tag must be in the durable history.</summary>
    public void SnapshotLoaded(SimSlave slave, SnapshotBegin begin)
    {
        if (begin.Tag > sim.History.End)
            throw new SimViolation($"{slave.Id} loads a snapshot at {begin.Tag}, beyond the master's durable history {sim.History.End}");
    }

    /// <summary>
    /// A WAIT is answered with <paramref name="count"/>: at least that many slaves must hold everything before its target synced
    /// (Redis's WAIT counts replicas that acknowledged; here an ack means synced), and it must not answer late.
    /// </summary>
    public void WaitAnswered(SimWait wait, int count)
    {
        sim.Stats.Waits++;
        var item = wait.Item;
        int holding = sim.History.TryGet(item.Start, out var known) && known.Id == item.Id ? sim.Slaves.Count(s => HoldsDurably(s, item)) : 0;
        if (count > holding)
            throw new SimViolation($"WAIT #{wait.Id} for {wait.Wanted} slave(s) at {item.End} answered {count}, but only {holding} slave(s) hold it synced");
        if (wait.DeadlineUs is long deadline && sim.NowUs > deadline)
            throw new SimViolation($"WAIT #{wait.Id} answered at {sim.NowUs} us, after its deadline {deadline} us");
        if (count < wait.Wanted && (wait.DeadlineUs is not long due || sim.NowUs < due))
            throw new SimViolation($"WAIT #{wait.Id} answered {count} of {wait.Wanted} before its timeout");
        sim.Trace($"{SimMaster.Id} WAIT #{wait.Id} {wait.Wanted} answered {count} ({holding} hold {item.End} synced)");
    }

    private static bool HoldsDurably(SimSlave slave, SimItem item) =>
        (slave.Relay.Start <= item.Start && slave.Relay.SyncedEnd >= item.End) || slave.Store.Mark.Position >= item.End;
}
