using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.SemiSync;

public class SemiSyncSettingsTests
{
    [Theory]
    [InlineData("rpl_semi_sync_master_timeout", "250")]
    [InlineData("RPL_SEMI_SYNC_MASTER_WAIT_POINT", "after_commit")]
    [InlineData("rpl_semi_sync_master_enabled", "OFF")]
    [InlineData("rpl_semi_sync_master_wait_for_slave_count", "2")]
    [InlineData("rpl_semi_sync_master_trace_level", "48")]
    public void KnownSettings_ParseAndPrintBack(string name, string value)
    {
        Assert.True(SemiSyncSettingNames.TryApply(SemiSyncConfig.Default, name, value, out var next, out _));
        var printed = SemiSyncSettingNames.Values(next).Single(kv => kv.Key == name.ToLowerInvariant()).Value;
        Assert.Equal(value.ToUpperInvariant(), printed.ToUpperInvariant());
        Assert.Null(next.Problem(configuredSlaves: 2));
    }

    [Theory]
    [InlineData("rpl_semi_sync_master_timeout", "soon", "is not an integer")]
    [InlineData("rpl_semi_sync_master_wait_point", "AFTER_LUNCH", "is not AFTER_SYNC or AFTER_COMMIT")]
    [InlineData("rpl_semi_sync_master_enabled", "maybe", "is not ON or OFF")]
    [InlineData("rpl_semi_sync_master_colour", "1", "unknown semi-sync setting")]
    public void MalformedValues_AreRefusedWithTheValueNamed(string name, string value, string expected)
    {
        Assert.False(SemiSyncSettingNames.TryApply(SemiSyncConfig.Default, name, value, out var next, out var error));
        Assert.Contains(expected, error);
        Assert.Same(SemiSyncConfig.Default, next);
    }

    [Fact]
    public void UnusableCombinations_NameTheProblem()
    {
        Assert.Equal("rpl_semi_sync_master_timeout must be between 1 and 4294967295 ms (got -1)", SemiSyncConfig.Default.WithTimeout(-1).Problem(2));
        Assert.Contains("above the 2 slave(s)", (SemiSyncConfig.Default with { WaitForSlaveCount = 3 }).Problem(2));
        Assert.Contains("between 1 and 65535", (SemiSyncConfig.Default with { WaitForSlaveCount = 0 }).Problem(2));
        Assert.Contains("unknown bits", (SemiSyncConfig.Default with { TraceLevel = (SemiSyncTrace)2 }).Problem(2));
        Assert.Null((SemiSyncConfig.Default with { WaitForSlaveCount = 3 }).Problem(null));
    }
}

internal static class SemiSyncConfigTestExtensions
{
    public static SemiSyncConfig WithTimeout(this SemiSyncConfig config, long timeoutMs) => config with { TimeoutMs = timeoutMs };
}
