namespace ReplDash.Engine.Node;

/// <summary>Life cycle of a hosted node.</summary>
public enum NodeState
{
    Starting,
    Running,
    Stopped,
    /// <summary>Recovery refused the data, or a disk write failed: the node answers every command with the error.</summary>
    Failed,
}
