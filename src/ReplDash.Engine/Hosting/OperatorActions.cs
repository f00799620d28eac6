using System.Security.Claims;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Hosting;

/// <summary>Why an operator action was refused; Status follows HTTP (400, 403, 404).</summary>
public sealed class OperatorActionException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Every action an operator (or a test) can take on the engine, in one place, guarded in one place: each takes
/// the principal that asks and refuses anyone but an Operator (<see cref="AccessRoles"/>) with a 403, whatever
/// the UI or the endpoint in front of it checked already. Each action is recorded as an event naming who asked.
/// </summary>
public sealed class OperatorActions(ClusterHost cluster, IEngineEventSink events, TimeProvider time)
{
    /// <summary>
    /// Refuses (403) a caller who is not an Operator; returns the caller's name for the event. Also used by the
    /// dashboard's other action services (consistency checks, users and keys) so that one rule guards them all.
    /// </summary>
    /// <exception cref="OperatorActionException">The caller is anonymous or only a Viewer.</exception>
    public static string Authorize(ClaimsPrincipal? by, string action)
    {
        string who = AccessRoles.Describe(by);
        if (!AccessRoles.IsOperator(by))
            throw new OperatorActionException(403, $"{who} may not {action}: only an Operator may");
        return who;
    }

    /// <summary>
    /// Makes slave <paramref name="nodeId"/> discard its position and load a fresh snapshot from its master.
    /// Where (<paramref name="via"/>: "api", "dashboard"...) and who (<paramref name="by"/>) asked is recorded in the
    /// event and kept with the resync's progress (<see cref="MasterLinkView.Resync"/>), whose outcome the slave
    /// records as <c>full-resync-done</c> or <c>full-resync-failed</c>.
    /// </summary>
    public void RequestResync(string nodeId, ClaimsPrincipal by, string via)
    {
        string requestedBy = $"{via} ({Authorize(by, $"resync {nodeId}")})";
        var node = Find(nodeId);
        if (node.Role != NodeRole.Slave || node.Link is null)
            throw new OperatorActionException(400, $"node {nodeId} is a {node.Role.ToString().ToLowerInvariant()}; only a running slave can be resynced");
        Record(nodeId, "operator-resync", $"Full resync of {nodeId} requested by {requestedBy}.");
        node.Link.RequestFullResync(requestedBy);
    }

    /// <summary>
    /// Changes master <paramref name="nodeId"/>'s semi-sync settings: each named setting (MySQL's names, see
    /// <see cref="SemiSyncSettingNames"/>) takes the given value, all together or none. Recorded as an event.
    /// </summary>
    public SemiSyncConfig ConfigureSemiSync(string nodeId, IReadOnlyDictionary<string, string> settings, ClaimsPrincipal by, string via)
    {
        string changedBy = $"{Authorize(by, $"change the semi-sync settings of {nodeId}")} ({via})";
        var node = Find(nodeId);
        if (node.Role != NodeRole.Master)
            throw new OperatorActionException(400, $"node {nodeId} is a slave; semi-sync settings belong to a master");
        if (settings.Count == 0)
            throw new OperatorActionException(400, $"no setting given; known: {string.Join(", ", SemiSyncSettingNames.All)}");
        var config = node.SemiSyncConfig;
        foreach (var (name, value) in settings)
            if (!SemiSyncSettingNames.TryApply(config, name, value, out config, out string error))
                throw new OperatorActionException(400, error.Contains(name, StringComparison.OrdinalIgnoreCase) ? error : $"{name}: {error}");
        try
        {
            node.ConfigureSemiSync(config, changedBy);
        }
        catch (ArgumentException e)
        {
            throw new OperatorActionException(400, e.Message);
        }
        return config;
    }

    /// <summary>Arms a fault point on a node (only when ReplDash:Faults:Enabled is true).</summary>
    public void ArmFault(string nodeId, string point, int count, int delayMs, ClaimsPrincipal by)
    {
        string who = Authorize(by, "arm faults");
        var node = Find(nodeId);
        if (!node.Faults.Enabled)
            throw new OperatorActionException(403, "faults are disabled (ReplDash:Faults:Enabled is false)");
        if (!Enum.TryParse<FaultPoint>(point, ignoreCase: true, out var fault))
            throw new OperatorActionException(400, $"unknown fault point '{point}'; known: {string.Join(", ", Enum.GetNames<FaultPoint>())}");
        node.Faults.Arm(fault, count, delayMs);
        Record(nodeId, "fault-armed", $"Fault {fault} armed on {nodeId} (count {count}, delay {delayMs} ms) by {who}.");
        if (fault == FaultPoint.CutLink && node.Link is not null)
        {
            node.Faults.TryHit(FaultPoint.CutLink, out _);
            node.Link.CutLink();
        }
    }

    /// <summary>Disarms every fault on every hosted node; recorded as a faults-cleared event per node where faults are enabled.</summary>
    public void ClearFaults(ClaimsPrincipal by)
    {
        string who = Authorize(by, "clear faults");
        foreach (var node in cluster.HostedNodes)
        {
            node.Faults.Clear();
            if (node.Faults.Enabled)
                Record(node.Id, "faults-cleared", $"Every fault on {node.Id} was disarmed by {who}.");
        }
    }

    private DataNode Find(string nodeId) =>
        cluster.FindById(nodeId) ?? throw new OperatorActionException(404, $"unknown node '{nodeId}'");

    private void Record(string nodeId, string kind, string message) =>
        events.Publish(new EngineEvent(time.GetUtcNow(), nodeId, kind, message));
}
