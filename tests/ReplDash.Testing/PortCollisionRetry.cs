namespace ReplDash.Testing;

/// <summary>
/// Starts a cluster process again on fresh ports when a port picked by <see cref="FreePort"/> was taken by
/// someone else before the process bound it ("address already in use"): FreePort releases the port it found,
/// and any outgoing connection on the machine may get it as its ephemeral port in the meantime.
/// </summary>
public static class PortCollisionRetry
{
    public static async Task<(ClusterConfig Cluster, ReplDashProcess App)> StartAsync(Func<ClusterConfig> createCluster,
        string hostedNodes, Func<ClusterConfig, int> readyPort, int attempts = 3)
    {
        ClusterConfig? cluster = null; // the one of the attempt that started
        var app = await RunAsync(async () =>
        {
            cluster = createCluster();
            return await cluster.StartAsync(hostedNodes, readyPort(cluster));
        }, attempts);
        return (cluster!, app);
    }

    /// <summary>Runs <paramref name="start"/> again (it picks new ports itself) while it fails with "address already in use".</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> start, int attempts = 3)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception e) when (attempt < attempts && e is InvalidOperationException or TimeoutException
                                      && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another attempt with new ports.
            }
        }
    }
}
