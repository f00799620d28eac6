using ReplDash.Engine.Configuration;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Hosting;

/// <summary>Turns validated configuration into one node's settings.</summary>
public static class NodeSettingsFactory
{
    public static NodeSettings Create(ReplDashOptions options, NodeOptions node, string dataRoot)
    {
        var role = string.Equals(node.Role, "slave", StringComparison.OrdinalIgnoreCase) ? NodeRole.Slave : NodeRole.Master;
        var replication = options.Replication;
        string? masterHost = null;
        int masterPort = 0;
        if (role == NodeRole.Slave)
        {
            if (node.MasterAddress is { Length: > 0 } address && ReplDashOptionsValidator.TryParseAddress(address, out var host, out var port))
                (masterHost, masterPort) = (host, port);
            else
            {
                var master = options.Nodes.First(n => n.Id == node.Master);
                // An embedded master listens on the bind address; "any" addresses are reached on loopback.
                masterHost = options.BindAddress is "0.0.0.0" or "::" ? "127.0.0.1" : options.BindAddress;
                masterPort = master.ReplicationPort;
            }
        }
        var faults = options.Faults.Enabled
            ? new FaultSettings(options.Faults.UnsafeAnswerBeforeBinlogWrite, options.Faults.BinlogWriteDelayMs,
                options.Faults.UnsafeFirstAckWithoutDrain, options.Faults.UnsafeAppliedPositionOutsideData,
                options.Faults.UnsafeSemiSyncVisibleBeforeAck, options.Faults.UnsafeOverwriteSlaveHistory,
                options.Faults.UnsafeRecoveredTailVisible)
            : FaultSettings.None;
        return new NodeSettings(
            node.Id,
            role,
            Path.Combine(dataRoot, node.Id),
            role == NodeRole.Master ? options.Durability.SyncBinlog : options.Durability.SyncRelayLog,
            options.Durability.BinlogSegmentBytes,
            options.Durability.CheckpointIntervalMs,
            new ReplicationSettings(replication.Secret, TimeSpan.FromSeconds(replication.LinkTimeoutSeconds), replication.SyncWindowItems,
                replication.SyncWindowBytes, replication.SlowApplyMs, node.Master, masterHost, masterPort, replication.AckCoalesceMs,
                replication.HealWaitMs)
            {
                HandshakeTimeout = TimeSpan.FromSeconds(replication.HandshakeTimeoutSeconds),
                MasterTrust = role == NodeRole.Slave && options.Tls.Replication ? TlsCertificates.LoadTrustedCertificate(options.Tls) : null,
            },
            faults,
            new RetentionSettings(options.Durability.BinlogRetentionBytes, TimeSpan.FromHours(options.Durability.BinlogRetentionHours)),
            ReplDashOptionsValidator.ToSemiSyncConfig(options.SemiSync),
            ReplDashOptionsValidator.ConfiguredSlaves(options, node.Id))
        {
            SlaveIds = ReplDashOptionsValidator.SlaveIdsOf(options, node.Id),
            Databases = options.Databases,
        };
    }
}
