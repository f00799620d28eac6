using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Node;

/// <summary>
/// Consistency checks (docs/CONSISTENCY.md): the master appends a check marker and computes its chunk digest at that
/// position; a slave computes its own when it applies the marker and sends it back over the replication link. A
/// repair re-writes keys through the binlog like any write.
/// </summary>
public sealed partial class DataNode
{
    private readonly Channel<ChunkResult> _checkResultOutbox = Channel.CreateBounded<ChunkResult>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    // Chunk captures are hashed one after another per node, outside the node lock (HashOutsideLock).
    private readonly object _hashGate = new();
    private Task _hashTail = Task.CompletedTask;

    /// <summary>Check results this node holds (a master: its slaves' answers; a slave: its own).</summary>
    public CheckResultBook CheckResults { get; } = new();

    /// <summary>A slave's results waiting to be sent to its master (read by the replication client).</summary>
    public ChannelReader<ChunkResult> CheckResultOutbox => _checkResultOutbox.Reader;

    /// <summary>
    /// Master: appends <paramref name="marker"/> to the binlog and captures the chunk at exactly that position, under
    /// the node lock; the capture is hashed after the lock is released (<see cref="HashOutsideLock"/>), so writes wait
    /// only for the copy. Returns the marker's end position, this node's result (when hashed) and how long the node lock was held for the capture and append, in microseconds.
    /// </summary>
    /// <exception cref="InvalidOperationException">This node is a slave.</exception>
    public (BinlogPosition End, Task<ChunkResult> Own, long LockedUs) AppendCheckMarker(CheckMarker marker)
    {
        ChunkCapture capture;
        BinlogPosition end;
        long lockedUs;
        lock (_gate)
        {
            long started = _time.GetTimestamp();
            EnsureRunning();
            if (Role != NodeRole.Master)
                throw new InvalidOperationException($"node {Id} is a slave; check markers are written by the master");
            EnsureNotAwaitingSlaves("a check marker");
            capture = _keyspace.CaptureChunk(marker);
            var id = new TransactionId(_settings.NodeId, ++_sequence);
            var item = marker.ToItem(id, _time.GetUtcNow().ToUnixTimeMilliseconds());
            try
            {
                (_, end) = _log!.Append(item);
            }
            catch (Exception e) when (e is ArgumentException or ObjectDisposedException)
            {
                Fail($"could not log check marker {id}: {e.Message}", e);
                throw new NodeUnavailableException($"node {Id} failed: {LastError}");
            }
            _lastTransactionId = id;
            _applied = end;
            _appliedLogical = _log.EndLogicalOffset;
            SemiSyncAppended(end);
            lockedUs = (long)_time.GetElapsedTime(started).TotalMicroseconds;
        }
        // The runner takes the master's own result from the task; only slaves' answers go through CheckResults.
        return (end, HashOutsideLock(capture, static _ => { }), lockedUs);
    }

    /// <summary>Master: a slave's result arrived over its link.</summary>
    public void ReceiveCheckResult(string slaveId, ChunkResult result) => CheckResults.Record(result with { NodeId = slaveId });

    /// <summary>
    /// Slave, under the node lock at the marker's position: captures the chunk; its result is computed after the lock
    /// is released and queued for the master.
    /// </summary>
    private void AnswerCheckMarker(BinlogItem item)
    {
        if (CheckMarker.TryParse(item, out var marker, out string error))
        {
            HashOutsideLock(_keyspace.CaptureChunk(marker!), Answer);
            return;
        }
        // A marker this build cannot read: answer so the check reports it instead of waiting forever.
        string checkId = item.Commands.Count == 1 && item.Commands[0].Length > 1 ? System.Text.Encoding.UTF8.GetString(item.Commands[0][1]) : "";
        Answer(new ChunkResult(checkId, -1, CheckMarkerKind.Digest, Id, 0, new byte[20], [], error));
    }

    private void Answer(ChunkResult result)
    {
        CheckResults.Record(result);
        _checkResultOutbox.Writer.TryWrite(result);
    }

    /// <summary>
    /// Hashes <paramref name="capture"/> on the thread pool, after every capture queued before it on this node (one
    /// chunk hashed at a time per node: a check's CPU use stays bounded however many chunks are in flight), then hands
    /// the result to <paramref name="then"/>. A failure becomes an error result, so a check fails instead of waiting.
    /// </summary>
    private Task<ChunkResult> HashOutsideLock(ChunkCapture capture, Action<ChunkResult> then)
    {
        lock (_hashGate)
        {
            var hashed = _hashTail.ContinueWith(_ =>
            {
                ChunkResult result;
                try
                {
                    result = capture.Compute(Id);
                }
                catch (Exception e) when (e is InvalidDataException or InvalidOperationException or CryptographicException)
                {
                    result = new ChunkResult(capture.Marker.CheckId, capture.Marker.Chunk, capture.Marker.Kind, Id, 0, new byte[20], [], e.Message);
                }
                then(result);
                return result;
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _hashTail = hashed;
            return hashed;
        }
    }

    /// <summary>
    /// Master: re-writes the authoritative value and expiry of each key (or deletes it when this node lacks it) in its
    /// own numbered database, through the binlog, one item per key, so the repair reaches every slave in order like any
    /// write (an item for a key outside database 0 starts with <c>SELECT n</c>, as every write there). Returns the end of
    /// the last item and the keys too large to re-write in one item (left as they are).
    /// </summary>
    /// <exception cref="InvalidOperationException">This node is a slave, or a key names a database this node does not have
    /// (nothing is written then).</exception>
    public (BinlogPosition End, List<(int Database, byte[] Key)> Skipped) RepairKeys(IEnumerable<(int Database, byte[] Key)> keys)
    {
        var end = BinlogPosition.Zero;
        var skipped = new List<(int Database, byte[] Key)>();
        var all = keys.ToList();
        lock (_gate)
        {
            EnsureRunning();
            if (Role != NodeRole.Master)
                throw new InvalidOperationException($"node {Id} is a slave; repairs are written by the master");
            EnsureNotAwaitingSlaves("repairs");
            if (all.FirstOrDefault(k => !_keyspace.IsValid(k.Database)) is { Key: not null } outside)
                throw new InvalidOperationException(
                    $"a differing key is in database {outside.Database}, but {Id} has {_keyspace.DatabaseCount} databases (ReplDash:Databases); nothing was repaired");
            _context.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            try
            {
                foreach (var (database, key) in all)
                {
                    var effects = RepairEffects(key, _keyspace[database].Export(key));
                    if (effects.Sum(e => e.Sum(a => (long)a.Length + 4)) > BinlogFormat.MaxItemBytes / 2)
                    {
                        skipped.Add((database, key));
                        continue;
                    }
                    // The master's value does not change, so no committed image is needed: a read of the key waits for the repair's commit.
                    _stagedImages.Clear();
                    // Recorded in the key's database: the item gets the SELECT that makes every slave re-write it there.
                    _context.Database = database;
                    foreach (var effect in effects)
                        _context.RecordEffect(effect);
                    end = BinlogPosition.Max(end, AppendEffects());
                }
            }
            finally
            {
                _context.Database = 0;
            }
        }
        return (end, skipped);
    }

    /// <summary>The commands that make a slave hold exactly <paramref name="entry"/> (or nothing) under <paramref name="key"/>.</summary>
    internal static List<byte[][]> RepairEffects(byte[] key, StoredEntry? stored)
    {
        var effects = new List<byte[][]> { new[] { "DEL"u8.ToArray(), key } };
        if (stored is not { Value: not null } entry)
            return effects;
        byte[][] Command(string name, IEnumerable<byte[]> elements) => [System.Text.Encoding.ASCII.GetBytes(name), key, .. elements];
        effects.Add(entry.Type switch
        {
            ValueType.String => Command("SET", [entry.Value]),
            ValueType.Hash => Command("HSET", StoredValueCodec.DecodeElements(entry.Value)),
            ValueType.List => Command("RPUSH", StoredValueCodec.DecodeElements(entry.Value)),
            ValueType.Set => Command("SADD", StoredValueCodec.DecodeElements(entry.Value)),
            ValueType.ZSet => Command("ZADD", StoredValueCodec.DecodeZSetPairs(entry.Value).SelectMany(p => new[] { ScoreText.Format(p.Score), p.Member })),
            _ => throw new InvalidDataException($"unknown value type {entry.Type}"),
        });
        if (entry.ExpireAtMs != 0)
            effects.Add(Command("PEXPIREAT", [System.Text.Encoding.ASCII.GetBytes(entry.ExpireAtMs.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        return effects;
    }

    /// <summary>
    /// Runs one data command on this node's data only: nothing is logged or replicated (DEBUG SET-LOCAL and friends,
    /// to make a node differ on purpose), in the client's selected <paramref name="database"/>. The caller checks that
    /// faults are enabled.
    /// </summary>
    public void ChangeLocally(byte[][] command, IBufferWriter<byte> reply, int database = 0)
    {
        var spec = CommandTable.Find(command[0]) ?? throw new ArgumentException("unknown command");
        lock (_gate)
        {
            EnsureRunning();
            // No clock: nothing expires and no effect is recorded, exactly as when applying a replicated item.
            var local = new CommandContext(_keyspace, reply, nowMs: null, new Random(0)) { Database = database };
            spec.Handler(local, command);
        }
    }
}
