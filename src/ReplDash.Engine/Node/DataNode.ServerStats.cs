using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Resp;

namespace ReplDash.Engine.Node;

/// <summary>What LASTSAVE, CONFIG RESETSTAT and CONFIG SET of Redis's encoding thresholds need from a node.</summary>
public sealed partial class DataNode
{
    // Set to the node's start in the constructor (its clock is not known before).
    private long _lastSaveUnixSeconds;
    private long _commandsBaseline;

    /// <summary>
    /// LASTSAVE: when the node last wrote a checkpoint to its SQLite store (Unix seconds); the node's start until the
    /// first one, as Redis reports its start (the load) until its first save.
    /// </summary>
    public long LastSaveUnixSeconds => Interlocked.Read(ref _lastSaveUnixSeconds);

    private void CheckpointSaved() => Interlocked.Exchange(ref _lastSaveUnixSeconds, _time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>The last checkpoint that wrote something: its cost and the wait it set before the next one.</summary>
    public CheckpointCost LastCheckpoint { get; private set; } = CheckpointCost.None;

    /// <summary>Commands run since start or since the last CONFIG RESETSTAT (INFO's total_commands_processed).</summary>
    public long CommandsProcessedSinceReset => CommandsProcessed - Interlocked.Read(ref _commandsBaseline);

    /// <summary>CONFIG RESETSTAT: counts start again from zero (the ops/s rate is unaffected).</summary>
    public void ResetStats()
    {
        Interlocked.Exchange(ref _commandsBaseline, CommandsProcessed);
        CommandStats.Reset();
    }

    /// <summary>INFO commandstats of this node's clients.</summary>
    public CommandStats CommandStats { get; }

    /// <summary>Redis's encoding thresholds as set by CONFIG SET (accepted and reported; they change nothing here).</summary>
    public EncodingThresholds EncodingThresholds { get; } = new();
}
