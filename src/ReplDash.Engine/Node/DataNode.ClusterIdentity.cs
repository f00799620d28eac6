using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

/// <summary>
/// Which cluster's data this node holds. The master's id is chosen at its first start; a slave holds none until it
/// adopts its master's: on its first link, or when a full resync has replaced its data. The master refuses a slave
/// that holds another cluster's data (MasterSyncSession's handshake).
/// </summary>
public sealed partial class DataNode
{
    private volatile string? _clusterId;

    /// <summary>The cluster id, or null for a slave that has not linked yet.</summary>
    public string? ClusterId => _clusterId;

    private void LoadClusterId()
    {
        _clusterId = ClusterIdFile.Read(_settings.ClusterIdPath);
        if (_clusterId is null && Role == NodeRole.Master)
        {
            var id = ClusterIdFile.NewId();
            ClusterIdFile.Write(_settings.ClusterIdPath, id);
            _clusterId = id;
            Publish("cluster-id-chosen", $"Master {Id} chose cluster id {id}: slaves adopt it on their first link.");
        }
    }

    /// <summary>
    /// A slave takes its master's cluster id (durably, before anything relies on it): on its first link, or once a
    /// full resync has replaced its data with the master's.
    /// </summary>
    public void AdoptClusterId(string id)
    {
        if (id == _clusterId)
            return;
        if (!ClusterIdFile.IsValid(id))
            throw new InvalidDataException($"the master sent '{Truncated(id)}', not a cluster id");
        ClusterIdFile.Write(_settings.ClusterIdPath, id);
        var previous = _clusterId;
        _clusterId = id;
        Publish("cluster-id-adopted", previous is null
            ? $"Slave {Id} adopted its master's cluster id {id}."
            : $"Slave {Id} holds cluster {id}'s data after a full resync (it held cluster {previous}'s).");
    }

    private static string Truncated(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
