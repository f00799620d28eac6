using System.Net;
using ReplDash.Testing;
using StackExchange.Redis;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>One cluster (m1, s1, s2 in one process) shared by the WATCH and compatibility tests, with a StackExchange.Redis multiplexer over it.</summary>
public sealed class CompatClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    private ReplDashProcess? _app;
    private ConnectionMultiplexer? _redis;

    public ClusterConfig Cluster { get; private set; } = null!;

    /// <summary>The process hosting the cluster (for its REST API).</summary>
    public ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    public StringWriter ClientLog { get; } = new();

    /// <summary>StackExchange.Redis over all three nodes.</summary>
    public ConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("not connected");

    public async Task InitializeAsync()
    {
        (Cluster, _app) = await PortCollisionRetry.StartAsync(() => new ClusterConfig(), "m1,s1,s2", c => c.MasterResp);
        await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave1Resp, CatchUp);
        await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, Cluster.Slave2Resp, CatchUp);
        var options = new ConfigurationOptions
        {
            EndPoints = { { IPAddress.Loopback, Cluster.MasterResp }, { IPAddress.Loopback, Cluster.Slave1Resp }, { IPAddress.Loopback, Cluster.Slave2Resp } },
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            SyncTimeout = 15_000,
            AsyncTimeout = 15_000,
            ConfigurationChannel = "",
            CommandMap = CommandMap.Create(["SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "PUBLISH"], available: false),
        };
        _redis = await ConnectionMultiplexer.ConnectAsync(options, ClientLog);
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
            await _redis.DisposeAsync();
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

/// <summary>The classes that share one <see cref="CompatClusterFixture"/> (one cluster start for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class CompatClusterCollection : ICollectionFixture<CompatClusterFixture>
{
    public const string Name = "compat-cluster";
}
