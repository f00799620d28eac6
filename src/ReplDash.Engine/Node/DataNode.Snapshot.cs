using System.Buffers;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Replication;
using ReplDash.Engine.Storage;

namespace ReplDash.Engine.Node;

/// <summary>
/// A slave loading a full-resync snapshot. The snapshot goes into a separate SQLite file; only when it is
/// complete, position included, does it replace the store, in one rename. A crash during the transfer leaves
/// the old store untouched and the partial file is discarded at the next start: a half-loaded snapshot is
/// never used.
/// </summary>
public sealed partial class DataNode
{
    /// <summary>
    /// Receives a snapshot from the master and makes it the node's data, reporting through <paramref name="progress"/>.
    /// Returns the tag position.
    /// </summary>
    public async Task<BinlogPosition> LoadSnapshotAsync(FrameChannel channel, ResyncAttempt progress, CancellationToken cancellation)
    {
        var begin = await channel.ReceiveAsync<SnapshotBegin>(cancellation);
        progress.Receiving(begin.KeyCount);
        Publish("full-resync-start", $"Loading a snapshot of {begin.KeyCount} keys tagged {begin.Tag} ({begin.TagId}).");
        // Old items still queued must not land on the new data.
        await DrainAppliesAsync().WaitAsync(cancellation);

        foreach (var stale in Directory.GetFiles(_settings.DataDirectory, Path.GetFileName(LoadingStorePath) + "*"))
            File.Delete(stale);
        string digest;
        long loaded = 0;
        using (var loading = new SqliteNodeStore(LoadingStorePath))
        {
            while (true)
            {
                var message = await channel.ReceiveAsync(cancellation);
                if (message is SnapshotEnd end)
                {
                    digest = end.Digest;
                    break;
                }
                if (message is not SnapshotChunk chunk)
                    throw new IOException($"expected a snapshot chunk, got {message.GetType().Name}");
                WriteSnapshotPart(loading, new DirtyKeys(false, chunk.Entries), AppliedState.Empty);
                loaded += chunk.Entries.Count;
                progress.Received(chunk.Entries.Count, chunk.Entries.Sum(e => (long)e.Key.Length + (e.Value?.Length ?? 0)));
                Faults.CrashIfArmed(FaultPoint.CrashDuringSnapshotLoad);
                if (Faults.TryHit(FaultPoint.SlowSnapshotChunk, out int delayMs))
                    await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, cancellation);
            }
            progress.Loading();
            // The position is written last: a file without it was never finished.
            WriteSnapshotPart(loading, new DirtyKeys(false, []), new AppliedState(begin.Tag, begin.TagLogical, begin.TagId));
        }
        SwapInSnapshot(begin, digest);
        Publish("full-resync-end", $"Loaded a snapshot of {loaded} keys; continuing from {begin.Tag}.");
        return begin.Tag;
    }

    /// <summary>
    /// A full disk ends this resync as a link error (the link retries later, the old store stays); the SQLite error
    /// would otherwise escape the link's loop.
    /// </summary>
    private static void WriteSnapshotPart(SqliteNodeStore loading, DirtyKeys part, AppliedState state)
    {
        try
        {
            loading.Checkpoint(part, state);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (OutOfSpace.Is(e))
        {
            throw new IOException($"loading the snapshot failed: {OutOfSpace.Describe(e)}", e);
        }
    }

    private void SwapInSnapshot(SnapshotBegin begin, string expectedDigest)
    {
        var state = new AppliedState(begin.Tag, begin.TagLogical, begin.TagId);
        lock (_storeGate)
        lock (_gate)
        {
            EnsureRunning();
            _log!.Dispose();
            _store!.Dispose();
            // Relay first, then the store: a crash in between leaves the old store and an empty relay log,
            // which simply asks the master again.
            Directory.Delete(_settings.LogDirectory, recursive: true);
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(_settings.StorePath + suffix);
            File.Move(LoadingStorePath, _settings.StorePath);
            DirectorySync.Fsync(_settings.DataDirectory);

            _store = new SqliteNodeStore(_settings.StorePath);
            // Every key may have changed: a client watching any of them must see its EXEC abort.
            for (int database = 0; database < _keyspace.DatabaseCount; database++)
                _keyspace[database].TouchAllWatched();
            _keyspace = new KeyspaceDatabases(_settings.Databases);
            foreach (var entry in _store.ReadAll())
                _keyspace.Load(entry);
            _context = new CommandContext(_keyspace, new ArrayBufferWriter<byte>(), 0, new Random());
            _itemApplier = new ItemApplier(_keyspace);

            var log = ResetRelayLog(state);
            _durable = new PositionWaiters(log.End);
            _written = new PositionWaiters(log.End);
            _committed = new PositionWaiters(log.End);
            _appliedWaiters = new PositionWaiters(begin.Tag);
            OpenLogWriter(log);
            _applied = begin.Tag;
            _appliedLogical = begin.TagLogical;
            _lastTransactionId = begin.TagId;
            _receivedEnd = begin.Tag;
            _receivedLogical = begin.TagLogical;
            _lastReceivedId = begin.TagId;
            _lastCheckpoint = begin.Tag;
            var digest = _keyspace.DigestHex();
            if (digest != expectedDigest)
                throw new InvalidDataException($"snapshot digest {digest} does not match the master's {expectedDigest}");
        }
    }
}
