using ReplDash.Engine.Core.Tests.Simulation;

// bash bench/simulate.sh --seeds N [--unsafe NAME] [--seed S] [--seconds T] [--first F]
int seeds = 1_000, first = 1;
int? oneSeed = null;
double? seconds = null;
string unsafeName = "";
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--seeds": seeds = int.Parse(Next()); break;
        case "--seed": oneSeed = int.Parse(Next()); break;
        case "--first": first = int.Parse(Next()); break;
        case "--seconds": seconds = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--unsafe": unsafeName = Next(); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: --seeds N [--unsafe NAME] [--seed S] [--seconds T] [--first F]");
            return 2;
    }
}
var switches = ReplDash.Engine.Core.Protocol.UnsafeSwitches.None;
if (unsafeName.Length > 0 && !SimSettings.UnsafeNames.TryGetValue(unsafeName, out switches))
{
    Console.Error.WriteLine($"unknown unsafe switch '{unsafeName}'; known: {string.Join(", ", SimSettings.UnsafeNames.Keys)}");
    return 2;
}
if (oneSeed is int seed)
{
    var result = Simulation.Run(seed, new SimSettings(Unsafe: switches, Trace: true));
    foreach (var line in result.Trace)
        Console.WriteLine(line);
    Console.WriteLine(result.Ok ? $"seed {seed}: every invariant held" : $"seed {seed}: VIOLATION {result.Violation}");
    Console.WriteLine(SimulationRunner.Describe(result.Stats));
    Console.WriteLine($"1 seeds, {(result.Ok ? 0 : 1)} violations");
    return result.Ok ? 0 : 1;
}
var settings = new SimSettings(Unsafe: switches);
var summary = SimulationRunner.Run(first, seconds is null ? seeds : int.MaxValue, settings, Console.WriteLine,
    seconds is double s ? TimeSpan.FromSeconds(s) : null);
Console.WriteLine(SimulationRunner.Describe(summary.Totals));
if (seconds is not null)
    Console.WriteLine($"{summary.SeedsPerSecond:0.0} seeds per second ({summary.Seeds} seeds in {summary.Elapsed.TotalSeconds:0.0} s)");
Console.WriteLine(summary.Line);
return summary.Failures.Count == 0 ? 0 : 1;
