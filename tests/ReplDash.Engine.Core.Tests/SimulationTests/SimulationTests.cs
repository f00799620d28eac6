using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Tests.Simulation;
using Xunit.Abstractions;

namespace ReplDash.Engine.Core.Tests.SimulationTests;

/// <summary>
/// The seeded simulation (docs/ARCHITECTURE.md, "Simulation"): a master and two or three slaves driven through faults,
/// invariants checked at every step. A failing seed prints its replay command (bash bench/simulate.sh --seed S).
/// </summary>
public class SimulationTests(ITestOutputHelper output)
{
    /// <summary>Seeds per CI run; REPLDASH_SIM_SEEDS overrides it (more for a soak, fewer on a loaded machine).</summary>
    private static int SeedCount => int.TryParse(Environment.GetEnvironmentVariable("REPLDASH_SIM_SEEDS"), out int n) ? n : 10_000;

    [Fact]
    public void TenThousandSeeds_EveryInvariantHolds_AndEveryNodeConverges()
    {
        var summary = SimulationRunner.Run(1, SeedCount, new SimSettings(), output.WriteLine);

        output.WriteLine($"{summary.Line} in {summary.Elapsed.TotalSeconds:0.0} s ({summary.SeedsPerSecond:0} seeds/s)");
        output.WriteLine(SimulationRunner.Describe(summary.Totals));
        Assert.True(summary.Failures.Count == 0, $"{summary.Line}; first: seed {summary.Failures.FirstOrDefault()?.Seed}: {summary.Failures.FirstOrDefault()?.Violation}");
        // The faults really ran: a run that never crashed, resynced or timed out would prove little.
        Assert.True(summary.Totals.Crashes > 0 && summary.Totals.FullResyncs > 0 && summary.Totals.SemiSyncOff > 0 && summary.Totals.Acknowledged > 0,
            SimulationRunner.Describe(summary.Totals));
        // ... and so did the master's lost tails taken back (lesson L5), WAITs and segment rotations.
        Assert.True(summary.Totals.TailsLost > 0 && summary.Totals.ItemsTakenBack > 0 && summary.Totals.Waits > 0 && summary.Totals.Rotations > 0,
            SimulationRunner.Describe(summary.Totals));
    }

    /// <summary>Each unsafe legacy switch must be caught within 10,000 seeds (how many it took is printed and recorded in docs).</summary>
    [Theory]
    [InlineData("first-ack-without-drain")]
    [InlineData("applied-position-outside-data")]
    [InlineData("aftercommit-visibility-as-lossless")]
    [InlineData("overwrite-slave-history")]
    [InlineData("wait-counts-sent-as-acked")]
    [InlineData("recovered-tail-visible")]
    public void UnsafeSwitch_IsCaughtWithinTenThousandSeeds(string name)
    {
        var settings = new SimSettings(Unsafe: SimSettings.UnsafeNames[name]);

        var summary = SimulationRunner.Run(1, 10_000, settings, output.WriteLine, stopAtFirst: true);

        output.WriteLine($"{name}: first violation after {summary.Seeds} seed(s) in {summary.Elapsed.TotalSeconds:0.0} s");
        Assert.NotEmpty(summary.Failures);
    }

    /// <summary>
    /// The old restart rule (the recovered binlog counts as committed) is caught by the invariant it breaks: a restarted
    /// master shows readers a write no slave acknowledged.
    /// </summary>
    [Fact]
    public void RecoveredTailVisible_IsCaughtAsAnUnacknowledgedRead()
    {
        var settings = new SimSettings(Unsafe: UnsafeSwitches.RecoveredTailVisible);

        var summary = SimulationRunner.Run(1, 10_000, settings, output.WriteLine, stopAtFirst: true);

        output.WriteLine($"recovered-tail-visible: first violation after {summary.Seeds} seed(s)");
        var failure = Assert.Single(summary.Failures);
        Assert.Contains("recovered tail", failure.Violation);
    }

    /// <summary>Seeds that once broke an invariant after a master's restart (each a crash with unacknowledged writes).</summary>
    [Theory]
    [InlineData(2544)]
    [InlineData(4482)]
    [InlineData(6467)]
    public void RestartSeed_HoldsEveryInvariant(int seed)
    {
        var result = Simulation.Simulation.Run(seed, new SimSettings());

        Assert.True(result.Ok, $"{result.Violation}\n  replay: {SimulationRunner.ReplayCommand(seed, new SimSettings())}");
    }

    [Fact]
    public void ASeed_ReplaysToTheSameTrace()
    {
        var first = Simulation.Simulation.Run(7, new SimSettings(Trace: true));
        var second = Simulation.Simulation.Run(7, new SimSettings(Trace: true));

        Assert.True(first.Trace.Count > 100);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(first.Violation, second.Violation);
    }
}
