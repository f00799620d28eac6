using ReplDash.Engine.Configuration;
using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Tests.Configuration;

/// <summary>ReplDash:Databases is checked at start (1 to 1024, Redis's 16 by default) and reaches every node's settings.</summary>
public class DatabasesConfigTests
{
    private static ReplDashOptions Cluster(int databases) => new()
    {
        Databases = databases,
        Replication = { Secret = "s" },
        Nodes =
        {
            new NodeOptions { Id = "m1", Role = "master", RespPort = 7001, ReplicationPort = 7002 },
            new NodeOptions { Id = "s1", Role = "slave", RespPort = 7003, Master = "m1" },
        },
    };

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1024)]
    public void ValuesInRange_AreAcceptedAndReachEveryNode(int databases)
    {
        var options = Cluster(databases);
        Assert.Empty(ReplDashOptionsValidator.Validate(options));
        Assert.All(options.Nodes, node => Assert.Equal(databases, NodeSettingsFactory.Create(options, node, "data").Databases));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1025)]
    public void ValuesOutOfRange_AreRefusedWithTheKey(int databases) =>
        Assert.Equal([$"ReplDash:Databases must be between 1 and 1024 (got {databases})."], ReplDashOptionsValidator.Validate(Cluster(databases)));

    [Fact]
    public void TheDefault_IsRedissSixteen() => Assert.Equal(16, new ReplDashOptions().Databases);
}
