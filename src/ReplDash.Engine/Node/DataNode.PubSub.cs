using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.PubSub;
using ReplDash.Engine.PubSub;

namespace ReplDash.Engine.Node;

/// <summary>
/// Pub/sub on a node. A message published on a master reaches its own subscribers at once and, as in Redis, the
/// subscribers of its slaves: the master logs it as a publish item (binlog item type 3), which ships and is applied in
/// order with the writes around it; a slave delivers it when it applies the item. Replay after a restart skips publish
/// items, so a message is never delivered twice. docs/BINLOG-FORMAT.md, "Publish items", says why the binlog
/// rather than a frame of its own.
/// </summary>
public sealed partial class DataNode
{
    /// <summary>This node's channels, patterns and monitors.</summary>
    public PubSubHub PubSub { get; } = new();

    /// <summary>
    /// PUBLISH: delivers to this node's subscribers and, on a master with at least one slave connected, logs the message
    /// for the slaves. Returns the receptions on this node (Redis's reply counts the local server only). The reply
    /// depends on no write: a message is not data, and a slave's subscribers get it when it arrives there.
    /// </summary>
    public int Publish(byte[] channel, byte[] message)
    {
        int receivers = PubSub.Deliver(channel, message);
        if (Role == NodeRole.Master && !_slaveLinks.IsEmpty)
            LogPublish(channel, message);
        return receivers;
    }

    /// <summary>
    /// Appends a publish item. Skipped (the message stays local) while the node cannot take writes: a full disk, a
    /// restarted master waiting for its slaves, a stopped or failed node. Pub/sub delivers at most once, as in Redis.
    /// </summary>
    private void LogPublish(byte[] channel, byte[] message)
    {
        lock (_gate)
        {
            if (State != NodeState.Running || _log is null || _log.Blocked is not null || _awaitingSlaves)
                return;
            var id = new TransactionId(_settings.NodeId, ++_sequence);
            var item = PublishItem.ToItem(id, _time.GetUtcNow().ToUnixTimeMilliseconds(), channel, message);
            BinlogPosition end;
            try
            {
                (_, end) = _log.Append(item);
            }
            catch (Exception e) when (e is ArgumentException or ObjectDisposedException)
            {
                // Nothing changed in memory: the message just does not reach the slaves. Undo the sequence number.
                _sequence--;
                _logger.LogPublishNotLogged(Id, e.Message);
                return;
            }
            _lastTransactionId = id;
            _applied = end;
            _appliedLogical = _log.EndLogicalOffset;
            SemiSyncAppended(end);
        }
    }

    /// <summary>Slave, under the node lock while applying a publish item: hands the message to this node's subscribers.</summary>
    private void DeliverReplicatedPublish(BinlogItem item)
    {
        if (PublishItem.TryParse(item, out var channel, out var message))
            PubSub.Deliver(channel, message);
    }
}

/// <summary>Log messages of pub/sub.</summary>
internal static partial class PubSubLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "Node {NodeId}: a PUBLISH could not be logged for the slaves ({Reason}); it reached this node's subscribers only")]
    public static partial void LogPublishNotLogged(this Microsoft.Extensions.Logging.ILogger logger, string nodeId, string reason);
}
