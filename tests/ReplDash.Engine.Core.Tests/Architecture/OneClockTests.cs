namespace ReplDash.Engine.Core.Tests.Architecture;

/// <summary>
/// One clock (docs/ARCHITECTURE.md): every delay, deadline and elapsed time in the engine comes from the node's
/// injected <see cref="TimeProvider"/>, and the core takes time as values. A source scan of src/ReplDash.Engine and
/// src/ReplDash.Engine.Core fails on any other clock; the only file allowed to name the system clock is the engine's
/// default for node-less callers (Node/DefaultClock.cs). The process wires TimeProvider.System in ReplDash.Web.
/// </summary>
public class OneClockTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Engine_UsesNoClockButTheInjectedTimeProvider()
    {
        var findings = ClockUseScanner.ScanDirectory(Path.Combine(Root, "src", "ReplDash.Engine"),
            new HashSet<string>(["Node/DefaultClock.cs"], StringComparer.Ordinal));

        Assert.True(findings.Count == 0, "clock uses outside the node's TimeProvider:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Core_UsesNoClockAtAll()
    {
        var findings = ClockUseScanner.ScanDirectory(Path.Combine(Root, "src", "ReplDash.Engine.Core"), new HashSet<string>());

        Assert.True(findings.Count == 0, "the core must take time as values:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Scanner_CatchesEveryOtherClock_AndPassesTheProvidersOwn()
    {
        const string bad = """
            class Bad
            {
                async Task Run(CancellationToken token)
                {
                    var a = DateTimeOffset.UtcNow;
                    var b = DateTime.Now;
                    long c = Environment.TickCount64;
                    long d = Stopwatch.GetTimestamp();
                    Thread.Sleep(10);
                    using var e = new Timer(_ => { }, null, 10, 10);
                    cts.CancelAfter(TimeSpan.FromSeconds(1));
                    var f = TimeProvider.System;
                    await Task.Delay(100);
                    await Task.Delay(TimeSpan.FromSeconds(1), token);
                    await semaphore.WaitAsync(linkTimeout, token);
                    task.Wait(TimeSpan.FromSeconds(10));
                    using var g = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                }
            }
            """;
        const string good = """
            class Good
            {
                // DateTimeOffset.UtcNow, Stopwatch and Task.Delay(100) in a comment do not count.
                /* Thread.Sleep(1) */
                async Task Run(CancellationToken token)
                {
                    var a = _time.GetUtcNow();
                    long b = time.GetTimestamp();
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, token);
                    await Task.Delay(backoff, host.Time, token);
                    await signal.WaitAsync(left, master.Time, token);
                    await gate.WaitAsync(token);
                    await task.WaitAsync(token);
                    await _committed.WaitAsync(dependency, waiter);
                    task.WaitAsync(StopWait, time).Wait();
                    arrived.Wait(0);
                    signal.Wait();
                    using var c = new CancellationTokenSource(limit, master.Time);
                    using var d = new CancellationTokenSource();
                    var url = "http://example";
                }
            }
            """;

        var findings = ClockUseScanner.Scan("Bad.cs", bad).ToList();

        Assert.Equal([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], findings.Select(f => f.Line).Order().ToArray());
        Assert.Empty(ClockUseScanner.Scan("Good.cs", good));
    }

    private static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ReplDash.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        return root;
    }
}
