using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// One embedded cluster (m1, s1, s2 in one process, semi-sync on) shared by the RESP3, server-command and pub/sub tests,
/// which run one after another in its collection.
/// </summary>
public sealed class Resp3ClusterFixture : IAsyncLifetime
{
    private ReplDashProcess? _app;

    public ClusterConfig Cluster { get; private set; } = null!;

    public ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        (Cluster, _app) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1,s2", c => c.MasterResp);
        // Both slaves streaming (a master logs a PUBLISH for its slaves only while it has some).
        await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave1Resp, TimeSpan.FromSeconds(60));
        await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave2Resp, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class Resp3ClusterCollection : ICollectionFixture<Resp3ClusterFixture>
{
    public const string Name = "resp3 cluster";
}
