using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// A failed master answers a slave's connection with one ErrorMessage frame (<c>NODE_FAILED</c> and the node's
/// reason) instead of a Greeting, then closes it. It logs and raises a <c>link-refused</c> event once per failure,
/// not once per attempt, so slaves retrying with backoff do not fill its log.
/// </summary>
internal static class FailedNodeRefusal
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    public static async Task RefuseAsync(DataNode master, ConnectionContext connection, ILogger logger, CancellationToken cancellation)
    {
        var reason = master.LastError ?? "the node failed";
        if (master.FirstRefusalFor(reason))
        {
            logger.LogWarning("Node {NodeId} is failed; refusing slave links until it is restarted: {Reason}", master.Id, reason);
            master.PublishEvent("link-refused", $"Node {master.Id} is failed; refusing slave links until it is restarted: {reason}.");
        }
        var channel = new FrameChannel(connection.Transport.Input, connection.Transport.Output, master.Time);
        using var timeout = master.Time.Deadline(SendTimeout, cancellation);
        await channel.SendAsync(new ErrorMessage(ReplicationErrorCodes.NodeFailed, $"master {master.Id} failed: {reason}"), timeout.Token);
    }
}
