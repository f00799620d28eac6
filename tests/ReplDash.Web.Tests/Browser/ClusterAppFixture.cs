using ReplDash.Testing;

namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The real app hosting the whole default topology (m1 and its slaves s1, s2) in one process, on free ports,
/// with faults enabled and a short link timeout so that a cut link shows within a test's patience.
/// </summary>
public sealed class ClusterAppFixture : IAsyncLifetime
{
    /// <summary>Link timeout of every node; the Overview must turn a cut link red within it.</summary>
    public static readonly TimeSpan LinkTimeout = TimeSpan.FromSeconds(3);

    private ReplDashProcess? _app;

    /// <summary>Ports and settings of the cluster.</summary>
    public ClusterConfig Cluster { get; private set; } = default!;

    /// <summary>The running process.</summary>
    public ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        (Cluster, _app) = await PortCollisionRetry.StartAsync(
            () => new ClusterConfig
            {
                LinkTimeoutSeconds = LinkTimeout.TotalSeconds,
                Extra = { ["ReplDash__Faults__Enabled"] = "true" },
            },
            "m1,s1,s2",
            cluster => cluster.MasterResp);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            Directory.Delete(_app.DataDir, recursive: true);
        }
    }
}
