using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Kestrel entry point for every RESP listener: finds the node by the local port, enforces the client
/// limit, and runs a <see cref="RespSession"/> until the client leaves.
/// </summary>
public sealed class RespConnectionHandler(ClusterHost cluster, IHostApplicationLifetime lifetime, ILogger<RespConnectionHandler> logger)
    : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        int port = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        var node = cluster.FindByPort(port);
        var output = connection.Transport.Output;
        if (node is null)
        {
            RespWriter.Error(output, $"ERR no node listens on port {port}");
            await output.FlushAsync();
            return;
        }
        if (ProtectedMode.Refuses(cluster.Options.ProtectedMode, cluster.PasswordOf(node.Id), connection.RemoteEndPoint))
        {
            RespWriter.Error(output, ProtectedMode.Error);
            await output.FlushAsync();
            return;
        }
        var client = cluster.TryAddClient(connection.RemoteEndPoint, connection.LocalEndPoint);
        if (client is null)
        {
            RespWriter.Error(output, "ERR max number of clients reached");
            await output.FlushAsync();
            return;
        }
        // On shutdown, end idle sessions so that Kestrel does not wait for clients to hang up.
        using var stopping = lifetime.ApplicationStopping.Register(() => connection.Transport.Input.CancelPendingRead());
        try
        {
            await new RespSession(node, cluster, client, connection).RunAsync();
        }
        catch (ConnectionResetException)
        {
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            logger.LogDebug(e, "Client {ClientId} connection ended", client.Id);
        }
        finally
        {
            cluster.RemoveClient(client);
        }
    }
}
