using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Core.Settings;

namespace ReplDash.Engine.Core.Tests.Settings;

/// <summary>The one table of setting ranges: bounds accepted, one step beyond refused, and the semi-sync settings follow it on every path.</summary>
public class SettingRangesTests
{
    public static TheoryData<string> Rows() => new(SettingRanges.All.Select(r => r.ConfigKey));

    [Theory]
    [MemberData(nameof(Rows))]
    public void EveryRow_AcceptsItsBounds_AndRefusesOneStepBeyond(string key)
    {
        var range = SettingRanges.All.Single(r => r.ConfigKey == key);
        Assert.True(range.Min <= range.Max);
        Assert.Null(range.Problem(key, range.Min));
        Assert.Null(range.Problem(key, range.Max));
        double step = range.Min == Math.Floor(range.Min) ? 1 : 0.001;
        string unit = range.Unit.Length == 0 ? "" : " " + range.Unit;
        Assert.Equal($"{key} must be between {Format(range.Min)} and {Format(range.Max)}{unit} (got {Format(range.Max + step)})",
            range.Problem(key, range.Max + step));
        Assert.NotNull(range.Problem(key, range.Min - step));
        Assert.NotNull(range.Problem(key, double.NaN));
        Assert.NotNull(range.Problem(key, long.MaxValue));
    }

    [Fact]
    public void EveryRow_HasAUniqueKey_AndRunTimeNamesOnlyForTheSemiSyncSettings()
    {
        Assert.Equal(SettingRanges.All.Count, SettingRanges.All.Select(r => r.ConfigKey).Distinct().Count());
        string[] runtime = SettingRanges.All.Where(r => r.RuntimeName is not null).Select(r => r.RuntimeName!).ToArray();
        Assert.Equal([SemiSyncSettingNames.Timeout, SemiSyncSettingNames.WaitForSlaveCount, SemiSyncSettingNames.TraceLevel], runtime);
    }

    [Fact]
    public void TheSemiSyncTimeout_IsMySqlsRange() =>
        Assert.Equal("1-4294967295 ms", SettingRanges.SemiSyncTimeoutMs.Describe());

    [Theory]
    [InlineData("1", null)]
    [InlineData("4294967295", null)]
    [InlineData("0", "rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got 0)")]
    [InlineData("-1", "rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got -1)")]
    [InlineData("4294967296", "rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got 4294967296)")]
    [InlineData("9223372036854775807", "rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got 9223372036854775807)")]
    [InlineData("99999999999999999999", "rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got 99999999999999999999)")]
    [InlineData("-99999999999999999999", "rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got -99999999999999999999)")]
    [InlineData("1e9", "'1e9' is not an integer (1-4294967295 ms)")]
    public void Timeout_ParsedAndChecked_AsEveryPathDoes(string value, string? expected) =>
        Assert.Equal(expected, RunTimeProblem(SemiSyncSettingNames.Timeout, value));

    [Theory]
    [InlineData("1", null)]
    [InlineData("2", null)]
    [InlineData("0", "rpl_semi_sync_master_wait_for_slave_count must be between 1 and 65535 (got 0)")]
    [InlineData("65536", "rpl_semi_sync_master_wait_for_slave_count must be between 1 and 65535 (got 65536)")]
    [InlineData("4294967297", "rpl_semi_sync_master_wait_for_slave_count must be between 1 and 65535 (got 4294967297)")]
    public void WaitForSlaveCount_ParsedAndChecked(string value, string? expected) =>
        Assert.Equal(expected, RunTimeProblem(SemiSyncSettingNames.WaitForSlaveCount, value, configuredSlaves: null));

    [Theory]
    [InlineData("0", null)]
    [InlineData("113", null)]
    [InlineData("2", "unknown bits")]
    [InlineData("128", "unknown bits")]
    [InlineData("-1", "unknown bits")]
    [InlineData("4294967296", "between 0 and 113")]
    public void TraceLevel_ParsedAndChecked(string value, string? expected)
    {
        var problem = RunTimeProblem(SemiSyncSettingNames.TraceLevel, value);
        if (expected is null)
            Assert.Null(problem);
        else
            Assert.Contains(expected, problem);
    }

    [Fact]
    public void StartUpKeys_NameTheConfigurationKey() =>
        Assert.Equal("ReplDash:SemiSync:TimeoutMs must be between 1 and 4294967295 ms (got 4294967296)",
            (SemiSyncConfig.Default with { TimeoutMs = 4_294_967_296 }).Problem(2, configKeys: true));

    /// <summary>What CONFIG SET and the REST API answer: the parse error, else the problem of the whole configuration.</summary>
    private static string? RunTimeProblem(string name, string value, int? configuredSlaves = 2) =>
        SemiSyncSettingNames.TryApply(SemiSyncConfig.Default, name, value, out var next, out var error)
            ? next.Problem(configuredSlaves)
            : error;

    private static string Format(double value) => value == Math.Floor(value)
        ? ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
