using Microsoft.Extensions.Logging;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>
/// Damage found in the log (docs/OPERATIONS.md, "Damaged binlogs"). A master keeps serving: its data is in
/// memory and in its store, and only the damaged range of its binlog is lost for shipping. Everything before
/// <see cref="DamagedThrough"/> is treated like a purged range: a slave whose position falls in or before it
/// gets a full resync at its next TrySync, never an endless reconnect.
/// </summary>
public sealed partial class DataNode
{
    private readonly object _damageGate = new();
    private readonly HashSet<(string File, long Offset)> _damageReported = [];
    private BinlogPosition _damagedThrough;
    private string? _binlogDamage;

    /// <summary>
    /// Master: no item before this position is shipped or trusted for a TrySync (an item boundary, or the first
    /// item of the segment after a damaged one). Zero when no damage was found.
    /// </summary>
    public BinlogPosition DamagedThrough
    {
        get { lock (_damageGate) return _damagedThrough; }
    }

    /// <summary>What is damaged in this node's log and what that means, for operators; null when nothing is.</summary>
    public string? BinlogDamage
    {
        get { lock (_damageGate) return _binlogDamage; }
    }

    /// <summary>
    /// Start-up: reports each damaged segment the verification found. A master marks it unavailable for shipping,
    /// and refuses to start only when it would have to replay items from it. A slave's relay log is a cache of the
    /// master's binlog: when the damage lies where it still has to replay, the damaged segments are moved to
    /// quarantine and the relay log restarts at the applied position (its master sends the rest again).
    /// </summary>
    /// <returns>True when the relay log must be reset (slave only).</returns>
    /// <exception cref="BinlogCorruptException">A master's store is behind the damage: it cannot be replayed.</exception>
    private bool HandleRecoveredDamage(RecoveredBinlog log, BinlogPosition replayFrom)
    {
        bool needed = false;
        foreach (var damage in log.Damage)
        {
            var at = new BinlogPosition(damage.FileNumber, damage.Offset);
            needed |= at >= replayFrom;
            if (Role == NodeRole.Master && at >= replayFrom)
                throw new BinlogCorruptException(damage.FilePath, damage.Offset,
                    $"{damage.Reason}; the store reflects the log only up to {replayFrom}, so the items after it cannot be replayed");
            var next = log.Segments.First(s => s.FileNumber > damage.FileNumber);
            RecordDamage(damage.FilePath, damage.Offset, damage.Reason, new BinlogPosition(next.FileNumber, next.FirstItemOffset), "at start");
        }
        if (Role != NodeRole.Slave || !needed)
            return false;
        foreach (var damage in log.Damage)
        {
            Directory.CreateDirectory(_settings.QuarantineDirectory);
            var target = Path.Combine(_settings.QuarantineDirectory,
                $"{Path.GetFileName(damage.FilePath)}.{_time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}.damaged");
            File.Move(damage.FilePath, target);
            Publish("relay-damaged-quarantined", $"Moved the damaged relay segment {Path.GetFileName(damage.FilePath)} to {target}; fetching from the master again.");
        }
        return true;
    }

    /// <summary>
    /// A sync session's read for shipping failed its checks: marks the range unavailable (up to the next segment,
    /// or, in the segment being written, up to the shippable end) and returns the sentence for both sides' errors.
    /// </summary>
    public string ReportShippingDamage(BinlogCorruptException failure)
    {
        var file = Path.GetFileName(failure.FilePath);
        BinlogPosition through;
        if (BinlogFileNames.TryParseSegmentName(file, out long number) && _log is { } log && number < log.End.FileNumber
            && BinlogDirectory.ReadHeader(BinlogDirectory.SegmentPath(_settings.LogDirectory, number + 1)) is { } next)
            through = new BinlogPosition(number + 1, next.FirstItemOffset);
        else
            through = BinlogPosition.Max(ShippableEnd, new BinlogPosition(number, failure.Offset));
        RecordDamage(failure.FilePath, failure.Offset, "checksum or framing error while reading for shipping", through, "while shipping");
        return $"binlog damaged at {file}:{failure.Offset}; binlog before {DamagedThrough} is not shipped, a full resync follows";
    }

    private void RecordDamage(string path, long offset, string reason, BinlogPosition through, string when)
    {
        bool first;
        string description;
        lock (_damageGate)
        {
            first = _damageReported.Add((path, offset));
            if (through > _damagedThrough)
                _damagedThrough = through;
            description = Role == NodeRole.Master
                ? $"{Path.GetFileName(path)} is damaged at offset {offset} ({reason}); binlog before {_damagedThrough} is not shipped: a slave that needs it gets a full resync"
                : $"relay log {Path.GetFileName(path)} is damaged at offset {offset} ({reason})";
            _binlogDamage = description;
        }
        if (!first)
            return;
        _logger.LogError("Node {NodeId}: damage found {When}: {Damage}", Id, when, description);
        Publish("binlog-damaged", $"Found {when}: {description}.");
    }
}
