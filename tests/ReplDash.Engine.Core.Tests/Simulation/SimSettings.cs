using ReplDash.Engine.Core.Protocol;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>What one simulated run does; everything else is drawn from its seed.</summary>
/// <param name="Unsafe">Unsafe legacy switches of the machines (None: every rule safe).</param>
/// <param name="Trace">Keep a step-by-step trace (for replaying one seed).</param>
/// <param name="ActiveUs">How long clients write and faults happen (simulated µs).</param>
/// <param name="ConvergeWithinUs">After the faults stop, every node must converge within this (simulated µs).</param>
/// <param name="ConvergeWithinEvents">... and within this many simulated events (steps) after the partitions heal.</param>
public sealed record SimSettings(UnsafeSwitches Unsafe = UnsafeSwitches.None, bool Trace = false, long ActiveUs = 800_000,
    long ConvergeWithinUs = 20_000_000, long ConvergeWithinEvents = 5_000)
{
    /// <summary>The unsafe switches by their command-line names.</summary>
    public static readonly IReadOnlyDictionary<string, UnsafeSwitches> UnsafeNames = new Dictionary<string, UnsafeSwitches>
    {
        ["first-ack-without-drain"] = UnsafeSwitches.FirstAckWithoutDrain,
        ["applied-position-outside-data"] = UnsafeSwitches.AppliedPositionOutsideData,
        ["aftercommit-visibility-as-lossless"] = UnsafeSwitches.AfterCommitVisibilityCountedAsLossless,
        ["overwrite-slave-history"] = UnsafeSwitches.OverwriteSlaveHistory,
        ["wait-counts-sent-as-acked"] = UnsafeSwitches.WaitCountsSentAsAcked,
        ["tail-items-unchecked"] = UnsafeSwitches.TailItemsUnchecked,
        ["recovered-tail-visible"] = UnsafeSwitches.RecoveredTailVisible,
    };

    /// <summary>The command-line name of <see cref="Unsafe"/> (empty when safe).</summary>
    public string UnsafeName => UnsafeNames.FirstOrDefault(p => p.Value == Unsafe).Key ?? "";
}

/// <summary>A broken invariant: the run stops at the step that broke it.</summary>
public sealed class SimViolation(string message) : Exception(message);

/// <summary>The outcome of one seed.</summary>
public sealed record SimResult(int Seed, string? Violation, IReadOnlyList<string> Trace, SimStats Stats)
{
    public bool Ok => Violation is null;
}

/// <summary>What happened in one run (for the summary line and for tests that check the faults really ran).</summary>
public sealed class SimStats
{
    public long Events, Writes, Reads, Acknowledged, Faults, Crashes, FullResyncs, SemiSyncOff, WindowCorruptions, LinkTimeouts;
    public long TailsLost, ItemsTakenBack, WritesRefused, Waits, Rotations;
    /// <summary>Simulated events from the end of the faults to convergence (the bound on convergence steps).</summary>
    public long ConvergedAfterEvents;
    public long ConvergedAfterUs;
}
