namespace ReplDash.Engine.Node;

/// <summary>
/// What a checkpoint cost and the wait it set before the next one (CheckpointPacing), as one value so that INFO never
/// shows one checkpoint's work next to another's wait.
/// </summary>
/// <param name="Work">The time it held the node to collect the changed keys plus the time it took to write them to the store (not its wait for the log's fsync).</param>
/// <param name="NextDelay">The wait before the next checkpoint: the configured interval or longer.</param>
public sealed record CheckpointCost(TimeSpan Work, TimeSpan NextDelay)
{
    /// <summary>Before the first checkpoint.</summary>
    public static CheckpointCost None { get; } = new(TimeSpan.Zero, TimeSpan.Zero);
}
