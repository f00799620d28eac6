using System.Diagnostics;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>The outcome of many seeds.</summary>
public sealed record SimRunSummary(int Seeds, IReadOnlyList<SimResult> Failures, TimeSpan Elapsed, SimStats Totals)
{
    public double SeedsPerSecond => Seeds / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>The last line of a run: <c>N seeds, M violations</c>.</summary>
    public string Line => $"{Seeds} seeds, {Failures.Count} violations";
}

/// <summary>Runs seeds, prints each failing seed with its replay command, and sums up (tests and bench/simulate.sh).</summary>
public static class SimulationRunner
{
    /// <summary>The one-line command that replays <paramref name="seed"/> with its step-by-step trace.</summary>
    public static string ReplayCommand(int seed, SimSettings settings) =>
        $"bash bench/simulate.sh --seed {seed}" + (settings.UnsafeName.Length > 0 ? $" --unsafe {settings.UnsafeName}" : "");

    /// <summary>
    /// Runs seeds from <paramref name="firstSeed"/> until <paramref name="seeds"/> ran, or <paramref name="budget"/> passed, or
    /// (when <paramref name="stopAtFirst"/>) one failed. Each failure is written to <paramref name="output"/> at once.
    /// </summary>
    public static SimRunSummary Run(int firstSeed, int seeds, SimSettings settings, Action<string> output, TimeSpan? budget = null,
        bool stopAtFirst = false)
    {
        var failures = new List<SimResult>();
        var totals = new SimStats();
        var clock = Stopwatch.StartNew();
        int ran = 0;
        for (int seed = firstSeed; ran < seeds && (budget is null || clock.Elapsed < budget); seed++)
        {
            var result = Simulation.Run(seed, settings);
            ran++;
            Add(totals, result.Stats);
            if (result.Ok)
                continue;
            failures.Add(result);
            output($"seed {seed}: VIOLATION {result.Violation}");
            output($"  replay: {ReplayCommand(seed, settings)}");
            if (stopAtFirst)
                break;
        }
        return new SimRunSummary(ran, failures, clock.Elapsed, totals);
    }

    private static void Add(SimStats total, SimStats one)
    {
        total.Events += one.Events;
        total.Writes += one.Writes;
        total.Reads += one.Reads;
        total.Acknowledged += one.Acknowledged;
        total.Faults += one.Faults;
        total.Crashes += one.Crashes;
        total.FullResyncs += one.FullResyncs;
        total.SemiSyncOff += one.SemiSyncOff;
        total.WindowCorruptions += one.WindowCorruptions;
        total.LinkTimeouts += one.LinkTimeouts;
        total.ConvergedAfterUs = Math.Max(total.ConvergedAfterUs, one.ConvergedAfterUs);
        total.ConvergedAfterEvents = Math.Max(total.ConvergedAfterEvents, one.ConvergedAfterEvents);
        total.TailsLost += one.TailsLost;
        total.ItemsTakenBack += one.ItemsTakenBack;
        total.WritesRefused += one.WritesRefused;
        total.Waits += one.Waits;
        total.Rotations += one.Rotations;
    }

    /// <summary>A totals line for reports.</summary>
    public static string Describe(SimStats s) =>
        $"{s.Events} events, {s.Writes} writes ({s.Acknowledged} acknowledged), {s.Reads} reads, {s.Faults} faults ({s.Crashes} crashes), " +
        $"{s.FullResyncs} full resyncs, {s.SemiSyncOff} semi-sync timeouts, {s.LinkTimeouts} link timeouts, {s.WindowCorruptions} window corruptions, " +
        $"{s.TailsLost} binlog tails lost ({s.ItemsTakenBack} items taken back, {s.WritesRefused} writes refused meanwhile), {s.Waits} WAITs, " +
        $"{s.Rotations} segment rotations, slowest convergence {s.ConvergedAfterUs / 1000.0:0.#} ms ({s.ConvergedAfterEvents} events)";
}
