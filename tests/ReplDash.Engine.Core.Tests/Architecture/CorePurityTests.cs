using System.Xml.Linq;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Tests.Architecture;

/// <summary>The core stays pure: base class library only, so it can be driven deterministically.</summary>
public class CorePurityTests
{
    [Fact]
    public void CoreAssembly_ReferencesOnlyTheBaseClassLibrary()
    {
        var references = typeof(KeyspaceStore).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"ReplDash.Engine.Core references {name}; the core must use the base class library only"));
    }

    // What the core may still call from the forbidden list, and why. Nothing of Protocol/ may ever be here.
    private static readonly string[] Allowed =
    [
        // Subscriptions are shared by connection threads (pub/sub is not replicated state); its lock predates this check.
        "ReplDash.Engine.Core.PubSub.PubSubRegistry",
    ];

    [Fact]
    public void CoreMethods_CallNoClockTimerThreadUnseededRandomFileSocketOrLock()
    {
        var calls = ForbiddenCallScanner.Scan(typeof(KeyspaceStore).Assembly.Location);

        var offending = calls.Where(c => !Allowed.Any(type => c.Caller.StartsWith(type, StringComparison.Ordinal))).ToList();

        Assert.True(offending.Count == 0, "Engine.Core must take time, randomness and I/O from its caller:\n" + string.Join("\n", offending));
        Assert.DoesNotContain(calls, c => c.Caller.StartsWith("ReplDash.Engine.Core.Protocol", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_FindsEachKindOfForbiddenCall()
    {
        var calls = ForbiddenCallScanner.Scan(typeof(ForbiddenSamples).Assembly.Location)
            .Where(c => c.Caller.StartsWith(typeof(ForbiddenSamples).FullName!, StringComparison.Ordinal))
            .Select(c => c.Callee).ToHashSet();

        Assert.Contains("System.DateTime.get_UtcNow", calls);
        Assert.Contains("System.DateTimeOffset.get_UtcNow", calls);
        Assert.Contains("System.Diagnostics.Stopwatch.GetTimestamp", calls);
        Assert.Contains("System.Environment.get_TickCount64", calls);
        Assert.Contains("System.Threading.Tasks.Task.Delay", calls);
        Assert.Contains("System.Threading.Thread.Sleep", calls);
        Assert.Contains("System.Random..ctor()", calls);
        Assert.Contains("System.Random.get_Shared", calls);
        Assert.Contains("System.IO.File.Exists", calls);
        Assert.Contains("System.Threading.Monitor.Enter", calls);
        Assert.DoesNotContain("System.Random..ctor(...)", calls); // a seeded Random is deterministic
    }

    [Fact]
    public void CoreProject_HasNoPackageOrProjectReferences()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ReplDash.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        var project = XDocument.Load(Path.Combine(root, "src", "ReplDash.Engine.Core", "ReplDash.Engine.Core.csproj"));

        var references = project.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "FrameworkReference");

        Assert.Empty(references);
    }
}

/// <summary>Makes one call of each forbidden kind, for <see cref="CorePurityTests.Scanner_FindsEachKindOfForbiddenCall"/>.</summary>
internal static class ForbiddenSamples
{
    private static readonly object Gate = new();

    public static async Task<long> Everything()
    {
        long sum = DateTime.UtcNow.Ticks + DateTimeOffset.UtcNow.Ticks + System.Diagnostics.Stopwatch.GetTimestamp() + Environment.TickCount64;
        await Task.Delay(1);
        Thread.Sleep(1);
        sum += new Random().Next() + Random.Shared.Next() + new Random(42).Next();
        if (File.Exists("/nonexistent"))
            sum++;
        lock (Gate)
            sum++;
        return sum;
    }
}
