using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>Kestrel entry point of a master's replication listener: one <see cref="MasterSyncSession"/> per slave connection.</summary>
public sealed class ReplicationConnectionHandler(ClusterHost cluster, IHostApplicationLifetime lifetime, ILogger<ReplicationConnectionHandler> logger)
    : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        int port = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        var master = cluster.FindMasterByReplicationPort(port);
        if (master is null)
            return;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, master.Stopping, connection.ConnectionClosed);
        var session = new MasterSyncSession(master, connection, logger);
        try
        {
            if (master.State == NodeState.Failed)
            {
                await FailedNodeRefusal.RefuseAsync(master, connection, logger, stopping.Token);
                return;
            }
            master.ClearRefusal();
            await session.RunAsync(stopping.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException or NodeUnavailableException)
        {
            logger.LogDebug(e, "Replication link on {Node} ended", master.Id);
        }
    }
}
