using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

/// <summary>
/// A full disk (docs/ARCHITECTURE.md, workflow 6). The node stays Running and serves reads from memory. While its
/// log cannot take a group, the log writer keeps that group and retries it, and the node refuses every new write
/// before it touches memory, so memory never holds more than the log will: what the log finally holds is exactly
/// what memory holds. A checkpoint the store has no room for keeps its changes for the next attempt; the binlog
/// remains the truth meanwhile, and nothing of it is purged past the last checkpoint.
/// </summary>
public sealed partial class DataNode
{
    // Why the last checkpoint could not be written (the store's disk is full), null once one was.
    private volatile string? _storeFull;
    // Changes a checkpoint took from the keyspace and could not write: the next checkpoint writes them first.
    private DirtyKeys? _unsavedChanges;
    private DateTimeOffset _storeRetryAt;
    private TimeSpan? _storeRetryDelay;

    /// <summary>Why the node refuses writes while it serves reads (its log's disk is full); null while writes flow.</summary>
    public string? WritesBlocked => _log?.Blocked is { } cause ? $"writing the {LogName} failed: {cause}" : null;

    /// <summary>
    /// What keeps the node from writing everything to disk (the log's or the store's disk is full), null when nothing
    /// does. Operators see the node as "degraded" with this reason meanwhile.
    /// </summary>
    public string? DiskProblem => WritesBlocked ?? CheckpointBlocked;

    /// <summary>Why the last checkpoint could not be written (the store's disk is full), null once one was.</summary>
    public string? CheckpointBlocked => _storeFull is { } cause ? $"writing the store failed: {cause}" : null;

    private string LogName => Role == NodeRole.Master ? "binlog" : "relay log";

    /// <summary>
    /// Refuses a write while the log cannot take it, before it runs: memory must not get ahead of the log. Redis's
    /// MISCONF code, as Redis answers when its AOF cannot be written.
    /// </summary>
    private void EnsureWritable(CommandSpec spec)
    {
        if ((spec.Flags & CommandFlags.Write) != 0 && _log?.Blocked is { } cause)
            throw new NodeUnavailableException(
                $"Errors writing to the {LogName} of node {Id}: {cause}. Writes are refused until there is space again; reads are served.",
                "MISCONF");
    }

    /// <summary>On the flusher thread: a group did not fit; the writer holds it and retries.</summary>
    private void OnLogOutOfSpace(Exception failure)
    {
        _logger.LogError(failure, "Node {NodeId}: the {Log} is out of disk space; writes are refused and the write is retried", Id, LogName);
        Publish("disk-full", Role == NodeRole.Master
            ? $"Writing the binlog failed: {OutOfSpace.Describe(failure)}. Writes are refused and reads served; the unwritten " +
              "transactions are kept in memory and retried until there is space (no reply was sent for them)."
            : $"Writing the relay log failed: {OutOfSpace.Describe(failure)}. The link to the master is closed until there is " +
              "space (nothing unwritten is acknowledged); reads are served.");
        // A slave stops receiving at once: what it could not write is not acknowledged, and the master keeps it.
        _client?.CutLink();
    }

    /// <summary>On the flusher thread: the held group was written after all; its replies go out with the progress that follows.</summary>
    private void OnLogSpaceRecovered()
    {
        _logger.LogWarning("Node {NodeId}: the {Log} has disk space again; writes resume", Id, LogName);
        Publish("disk-space-recovered", $"The {LogName} has room again: the held transactions are written and writes are accepted.");
    }

    /// <summary>Under the node lock: the changes to write now, with those a failed checkpoint kept first.</summary>
    private DirtyKeys TakeChangesToSave()
    {
        var fresh = _keyspace.TakeDirty();
        var kept = _unsavedChanges;
        _unsavedChanges = null;
        if (kept is null)
            return fresh;
        // Written in order (swaps and flushes too), later changes of a key overwrite earlier ones.
        return kept.Then(fresh);
    }

    /// <summary>Only every so often while the store's disk is full (backing off up to once a second).</summary>
    private bool StoreRetryDue() => _storeFull is null || _time.GetUtcNow() >= _storeRetryAt;

    /// <summary>A checkpoint found no room: keep its changes, say so once, and retry later.</summary>
    private void StoreOutOfSpace(DirtyKeys changes, Exception failure)
    {
        lock (_gate)
        {
            _unsavedChanges = changes; // already holds what an earlier failed attempt kept (TakeChangesToSave)
            _storeRetryDelay = OutOfSpace.NextRetryDelay(_storeRetryDelay);
            _storeRetryAt = _time.GetUtcNow() + _storeRetryDelay.Value;
        }
        if (_storeFull is not null)
            return;
        _storeFull = OutOfSpace.Describe(failure);
        _logger.LogError(failure, "Node {NodeId}: checkpoint to {Store} is out of disk space; retrying", Id, _settings.StorePath);
        Publish("disk-full", $"Checkpoint to the store failed: {_storeFull}. The {LogName} keeps every change meanwhile; the checkpoint is retried until there is space.");
    }

    /// <summary>A checkpoint was written: a store that was full has room again.</summary>
    private void StoreWritten()
    {
        if (_storeFull is null)
            return;
        _storeFull = null;
        _storeRetryDelay = null;
        _logger.LogWarning("Node {NodeId}: the store has disk space again", Id);
        Publish("disk-space-recovered", "The store has room again: the checkpoint was written.");
    }
}
