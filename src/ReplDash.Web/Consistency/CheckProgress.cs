namespace ReplDash.Web.Consistency;

/// <summary>
/// The live progress of one run, for the page and the hub (<c>checkProgress</c>, docs/DASHBOARD-HUB.md).
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">running, completed, failed or cancelled.</param>
/// <param name="Phase">What it does now: checking, paused (a slave lags or is away), waiting (for slaves' answers), done.</param>
/// <param name="ChunksDone">Chunks finished.</param>
/// <param name="BucketsDone">Buckets finished.</param>
/// <param name="BucketsTotal">Buckets in scope (chunks vary in size, so progress is counted in buckets).</param>
/// <param name="KeysCompared">Keys compared so far.</param>
/// <param name="KeysPerSecond">Keys compared per second since this process took the run up.</param>
/// <param name="DifferingKeys">Differing (key, slave) pairs so far.</param>
/// <param name="EtaSeconds">Seconds left at the current rate, or null when unknown.</param>
public sealed record CheckProgress(long RunId, string Status, string Phase, int ChunksDone, int BucketsDone, int BucketsTotal,
    long KeysCompared, double KeysPerSecond, int DifferingKeys, double? EtaSeconds);
