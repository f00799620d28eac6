using ReplDash.Engine.Core.Settings;

namespace ReplDash.Engine.Core.Tests.Settings;

/// <summary>docs/OPERATIONS.md's "Ranges" table says what the code enforces, row for row.</summary>
public class SettingRangesDocsTests
{
    [Fact]
    public void EveryRange_IsDocumentedWithItsBounds()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ReplDash.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        var lines = File.ReadAllLines(Path.Combine(root, "docs", "OPERATIONS.md"));
        foreach (var range in SettingRanges.All)
        {
            string key = range.ConfigKey == SettingRanges.Port.ConfigKey ? "`ReplDash:Http:Port`" : $"`{range.ConfigKey}`";
            var row = lines.SingleOrDefault(l => l.StartsWith($"| {key}", StringComparison.Ordinal) && l.Contains(" | " + range.Describe() + " | ", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/OPERATIONS.md has no Ranges row for {key} with {range.Describe()}");
            if (range.RuntimeName is { } name)
                Assert.Contains($"`{name}`", row);
        }
    }
}
