using Microsoft.AspNetCore.SignalR;
using ReplDash.Web.Cluster;

namespace ReplDash.Web.Hubs;

/// <summary>
/// The SignalR hub for outside consumers (JSON protocol): the server pushes <see cref="SnapshotMethod"/>
/// a few times a second and <see cref="EventMethod"/> for every stored event. Clients call nothing; the
/// protocol is described in docs/DASHBOARD-HUB.md.
/// </summary>
public sealed class ClusterHub : Hub
{
    /// <summary>Where the hub is mapped.</summary>
    public const string Path = "/hubs/cluster";

    /// <summary>Client method that receives a <see cref="ClusterSnapshotMessage"/>.</summary>
    public const string SnapshotMethod = "snapshot";

    /// <summary>Client method that receives an <see cref="Api.EventDto"/>.</summary>
    public const string EventMethod = "event";

    /// <summary>Client method that receives a consistency check's <see cref="Consistency.CheckProgress"/>.</summary>
    public const string CheckProgressMethod = "checkProgress";

    private readonly ClusterNotifier _notifier;
    private readonly TimeProvider _timeProvider;

    /// <summary>Created by SignalR for each call; holds nothing between calls.</summary>
    public ClusterHub(ClusterNotifier notifier, TimeProvider timeProvider)
    {
        _notifier = notifier;
        _timeProvider = timeProvider;
    }

    /// <summary>A new client gets the latest snapshot at once rather than waiting for the next tick.</summary>
    public override Task OnConnectedAsync() =>
        Clients.Caller.SendAsync(SnapshotMethod, ClusterSnapshotMessage.From(_notifier.Latest, _timeProvider.GetUtcNow()), Context.ConnectionAborted);
}
