using ReplDash.Engine.Configuration;
using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Who may replicate, as configured: the shipped default secret stays on loopback (a node refuses to start with it
/// on any other address, saying how to set one), the slave ids a master accepts, and the handshake deadline's range.
/// </summary>
public class SlaveIdentityConfigTests
{
    private static ReplDashOptions Cluster(string secret = ReplicationOptions.ShippedDefaultSecret, string bindAddress = "127.0.0.1") => new()
    {
        BindAddress = bindAddress,
        Replication = { Secret = secret },
        Nodes =
        {
            new NodeOptions { Id = "m1", Role = "master", RespPort = 7001, ReplicationPort = 7002 },
            new NodeOptions { Id = "s1", Role = "slave", RespPort = 7003, Master = "m1" },
            new NodeOptions { Id = "s2", Role = "slave", RespPort = 7004, Master = "m1" },
        },
    };

    [Fact]
    public void ShippedDefaultSecret_IsTheOneInAppsettings()
    {
        var appsettings = File.ReadAllText(Path.Combine(ReplDash.Testing.RepositoryPaths.Root, "appsettings.json"));
        Assert.Contains($"\"Secret\": \"{ReplicationOptions.ShippedDefaultSecret}\"", appsettings);
    }

    [Fact]
    public void DefaultSecret_OnLoopback_IsAccepted() => Assert.Empty(ReplDashOptionsValidator.Validate(Cluster()));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("::")]
    public void DefaultSecret_WithAReplicationListenerBeyondLoopback_RefusesToStart_SayingHowToSetOne(string bindAddress)
    {
        var error = Assert.Single(ReplDashOptionsValidator.Validate(Cluster(bindAddress: bindAddress)));

        Assert.Contains("ReplDash:Replication:Secret is still the shipped default", error);
        Assert.Contains($"master m1's replication listener binds to {bindAddress}", error);
        Assert.Contains("--ReplDash:Replication:Secret=", error);
        Assert.Contains("ReplDash__Replication__Secret", error);
        Assert.DoesNotContain(ReplicationOptions.ShippedDefaultSecret, error); // a secret, even a public one, is not printed
    }

    [Theory]
    [InlineData("10.0.0.5:7380", true)]
    [InlineData("db.example.com:7380", true)]
    [InlineData("127.0.0.1:7380", false)]
    [InlineData("localhost:7380", false)]
    [InlineData("[::1]:7380", false)]
    public void DefaultSecret_OnASlaveWhoseMasterIsElsewhere_IsRefusedOutsideLoopback(string masterAddress, bool refused)
    {
        var options = Cluster();
        options.Node = "s1"; // one node per process: only s1 is hosted here
        options.Nodes[1].MasterAddress = masterAddress;

        var errors = ReplDashOptionsValidator.Validate(options);

        if (refused)
            Assert.Contains("slave s1 connects to its master at", Assert.Single(errors));
        else
            Assert.Empty(errors);
    }

    [Fact]
    public void OwnSecret_BeyondLoopback_IsAccepted() =>
        Assert.Empty(ReplDashOptionsValidator.Validate(Cluster(secret: "a-secret-of-our-own", bindAddress: "0.0.0.0")));

    [Fact]
    public void MasterAcceptsItsConfiguredSlaves_PlusAllowedSlaves_AndTheyCountAsConfigured()
    {
        var options = Cluster(secret: "s");
        options.Replication.AllowedSlaves = "s9, s1";
        options.Nodes.Add(new NodeOptions { Id = "m2", Role = "master", RespPort = 7005, ReplicationPort = 7006 });

        var m1 = NodeSettingsFactory.Create(options, options.Nodes[0], "/tmp/unused");
        var s1 = NodeSettingsFactory.Create(options, options.Nodes[1], "/tmp/unused");
        var m2 = NodeSettingsFactory.Create(options, options.Nodes[3], "/tmp/unused");

        Assert.Equal(["s1", "s2", "s9"], m1.SlaveIds.Order());
        Assert.Equal(3, m1.ConfiguredSlaves);
        Assert.Equal(["s1", "s9"], m2.SlaveIds.Order()); // the allow-list is for every master hosted here
        Assert.Empty(s1.SlaveIds);
        Assert.Empty(ReplDashOptionsValidator.Validate(options));
    }

    [Fact]
    public void AllowedSlaves_MustBeNodeIds_AndNeedASecret()
    {
        var options = Cluster(secret: "");
        options.Nodes.RemoveAll(n => n.Role == "slave"); // a master whose configuration lists no slave
        options.Replication.AllowedSlaves = "s1,not an id";

        Assert.Equal(
            [
                "ReplDash:Replication:AllowedSlaves: 'not an id' is not a node id (1-64 letters, digits, '-' or '_').",
                "ReplDash:Replication:Secret must be set when ReplDash:Replication:AllowedSlaves lists slaves.",
            ],
            ReplDashOptionsValidator.Validate(options));
    }

    [Theory]
    [InlineData(0.1, true)]
    [InlineData(5, true)]
    [InlineData(300, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(301, false)]
    [InlineData(double.NaN, false)]
    public void HandshakeTimeoutSeconds_IsBetweenATenthOfASecondAndFiveMinutes(double seconds, bool accepted)
    {
        var options = Cluster(secret: "s");
        options.Replication.HandshakeTimeoutSeconds = seconds;

        var errors = ReplDashOptionsValidator.Validate(options);

        if (accepted)
            Assert.Empty(errors);
        else
            Assert.Equal([$"ReplDash:Replication:HandshakeTimeoutSeconds must be between 0.1 and 300 s (got {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})."], errors);
    }
}
