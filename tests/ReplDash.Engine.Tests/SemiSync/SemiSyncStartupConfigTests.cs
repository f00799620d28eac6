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

    [Theory]
    [InlineData("timeout", "ReplDash:SemiSync: timeout must be a positive number of milliseconds, not -1.")]
    [InlineData("waitpoint", "ReplDash:SemiSync:WaitPoint 'AfterLunch' is not AfterSync or AfterCommit (MySQL's AFTER_SYNC and AFTER_COMMIT are accepted too).")]
    [InlineData("count", "ReplDash:SemiSync: wait_for_slave_count 3 is above the 2 slave(s) configured for this master.")]
    [InlineData("trace", "ReplDash:SemiSync: trace_level 3 has unknown bits (known: 1 general, 16 detail, 32 net wait, 64 function).")]
    public void BadValues_AreRefusedWithTheirKey(string which, string expected)
    {
        var options = Cluster(s =>
        {
            switch (which)
            {
                case "timeout": s.TimeoutMs = -1; break;
                case "waitpoint": s.WaitPoint = "AfterLunch"; break;
                case "count": s.WaitForSlaveCount = 3; break;
                case "trace": s.TraceLevel = 3; break;
            }
        });
        Assert.Equal([expected], ReplDashOptionsValidator.Validate(options));
    }
}
