using Microsoft.Extensions.Logging;

namespace ReplDash.Engine.Node;

/// <summary>
/// The node's background loops run under a <see cref="SupervisedLoop"/>: one that throws unexpectedly is
/// reported (log and <c>loop-failed</c> event) and restarted, or fails the node, but never just stops.
/// </summary>
public sealed partial class DataNode : ISupervisedLoopHost
{
    /// <summary>Starts <paramref name="body"/> as a supervised loop of this node; the task ends when the loop ends for good.</summary>
    internal Task StartLoop(string name, Func<CancellationToken, Task> body, LoopFailureAction onFailure = LoopFailureAction.Restart) =>
        new SupervisedLoop(name, onFailure, this).Start(body);

    string ISupervisedLoopHost.NodeId => Id;
    TimeProvider ISupervisedLoopHost.Time => _time;
    ILogger ISupervisedLoopHost.Logger => _logger;
    CancellationToken ISupervisedLoopHost.Stopping => _stopping.Token;
    bool ISupervisedLoopHost.IsRunning => State == NodeState.Running;
    void ISupervisedLoopHost.PublishEvent(string kind, string message) => Publish(kind, message);
    void ISupervisedLoopHost.FailFromLoop(string reason, Exception failure) => Fail(reason, failure);
}
