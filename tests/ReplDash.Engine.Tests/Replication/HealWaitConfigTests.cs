using ReplDash.Engine.Configuration;
using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>ReplDash:Replication:HealWaitMs is checked at start: 0 (no wait) to ten minutes, and reaches the master's settings.</summary>
public class HealWaitConfigTests
{
    private static ReplDashOptions Cluster(int healWaitMs) => new()
    {
        Replication = { Secret = "s", HealWaitMs = healWaitMs },
        Nodes =
        {
            new NodeOptions { Id = "m1", Role = "master", RespPort = 7001, ReplicationPort = 7002 },
            new NodeOptions { Id = "s1", Role = "slave", RespPort = 7003, Master = "m1" },
        },
    };

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    [InlineData(600_000)]
    public void ValuesInRange_AreAcceptedAndReachTheMaster(int ms)
    {
        var options = Cluster(ms);
        Assert.Empty(ReplDashOptionsValidator.Validate(options));
        Assert.Equal(ms, NodeSettingsFactory.Create(options, options.Nodes[0], "data").Replication.HealWaitMs);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(600_001)]
    public void ValuesOutOfRange_AreRefusedWithTheKey(int ms) =>
        Assert.Equal([$"ReplDash:Replication:HealWaitMs must be between 0 and 600000 ms (got {ms})."],
            ReplDashOptionsValidator.Validate(Cluster(ms)));

    [Fact]
    public void TheDefault_IsFiveSeconds() => Assert.Equal(5000, new ReplicationOptions().HealWaitMs);
}
