namespace ReplDash.Engine.Replication;

/// <summary>
/// The master refused the slave's history as not its own (lesson L5): the link stops, the slave keeps its data and
/// waits for an operator instead of reconnecting.
/// </summary>
public sealed class HistoryDivergedException(string reason) : IOException($"history diverged: {reason}");
