namespace ReplDash.Engine.Node;

/// <summary>A failed master refuses slave links with its reason, and says so once per failure, not once per attempt.</summary>
public sealed partial class DataNode
{
    private string? _refusalAnnounced;

    /// <summary>
    /// True the first time it is asked about this failure reason (the caller then logs and raises the event);
    /// false for every later refusal of the same failure.
    /// </summary>
    public bool FirstRefusalFor(string reason) => Interlocked.Exchange(ref _refusalAnnounced, reason) != reason;

    /// <summary>The node serves again: a later failure is announced afresh.</summary>
    public void ClearRefusal() => Volatile.Write(ref _refusalAnnounced, null);
}
