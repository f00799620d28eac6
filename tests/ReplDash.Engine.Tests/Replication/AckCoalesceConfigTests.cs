using ReplDash.Engine.Configuration;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>ReplDash:Replication:AckCoalesceMs is checked at start: 0 (ack every batch) to a minute.</summary>
public class AckCoalesceConfigTests
{
    private static ReplDashOptions Cluster(int ackCoalesceMs) => new()
    {
        Replication = { Secret = "s", AckCoalesceMs = ackCoalesceMs },
        Nodes =
        {
            new NodeOptions { Id = "m1", Role = "master", RespPort = 7001, ReplicationPort = 7002 },
            new NodeOptions { Id = "s1", Role = "slave", RespPort = 7003, Master = "m1" },
        },
    };

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(60_000)]
    public void ValuesInRange_AreAccepted(int ms) => Assert.Empty(ReplDashOptionsValidator.Validate(Cluster(ms)));

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void ValuesOutOfRange_AreRefusedWithTheKey(int ms) =>
        Assert.Equal([$"ReplDash:Replication:AckCoalesceMs must be between 0 and 60000 ms (got {ms})."],
            ReplDashOptionsValidator.Validate(Cluster(ms)));
}
