using ReplDash.Engine.Configuration;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>Semi-sync settings in appsettings.json are checked at start, each problem naming its key.</summary>
public class SemiSyncStartupConfigTests
{
    private static ReplDashOptions Cluster(Action<SemiSyncOptions> change)
    {
        var options = new ReplDashOptions
        {
            Replication = { Secret = "s" },
            Nodes =
            {
                new NodeOptions { Id = "m1", Role = "master", RespPort = 7001, ReplicationPort = 7002 },
                new NodeOptions { Id = "s1", Role = "slave", RespPort = 7003, Master = "m1" },
                new NodeOptions { Id = "s2", Role = "slave", RespPort = 7004, Master = "m1" },
            },
        };
        change(options.SemiSync);
        return options;
    }

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(ReplDashOptionsValidator.Validate(Cluster(_ => { })));

    [Fact]
    public void MySqlsLargestTimeout_IsAccepted() =>
        Assert.Empty(ReplDashOptionsValidator.Validate(Cluster(s => s.TimeoutMs = 4_294_967_295)));

    [Theory]
    [InlineData("timeout", "ReplDash:SemiSync:TimeoutMs must be between 1 and 4294967295 ms (got -1).")]
    [InlineData("huge-timeout", "ReplDash:SemiSync:TimeoutMs must be between 1 and 4294967295 ms (got 4294967296).")]
    [InlineData("max-timeout", "ReplDash:SemiSync:TimeoutMs must be between 1 and 4294967295 ms (got 9223372036854775807).")]
    [InlineData("waitpoint", "ReplDash:SemiSync:WaitPoint 'AfterLunch' is not AfterSync or AfterCommit (MySQL's AFTER_SYNC and AFTER_COMMIT are accepted too).")]
    [InlineData("count", "ReplDash:SemiSync:WaitForSlaveCount 3 is above the 2 slave(s) configured for this master.")]
    [InlineData("zero-count", "ReplDash:SemiSync:WaitForSlaveCount must be between 1 and 65535 (got 0).")]
    [InlineData("trace", "ReplDash:SemiSync:TraceLevel 3 has unknown bits (known: 1 general, 16 detail, 32 net wait, 64 function).")]
    public void BadValues_AreRefusedWithTheirKey(string which, string expected)
    {
        var options = Cluster(s =>
        {
            switch (which)
            {
                case "timeout": s.TimeoutMs = -1; break;
                case "huge-timeout": s.TimeoutMs = 4_294_967_296; break;
                case "max-timeout": s.TimeoutMs = long.MaxValue; break;
                case "zero-count": s.WaitForSlaveCount = 0; break;
                case "waitpoint": s.WaitPoint = "AfterLunch"; break;
                case "count": s.WaitForSlaveCount = 3; break;
                case "trace": s.TraceLevel = 3; break;
            }
        });
        Assert.Equal([expected], ReplDashOptionsValidator.Validate(options));
    }
}
