using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Node;

/// <summary>
/// Purging old log segments. A master keeps its binlog within the retention size and age, but never
/// removes what a connected slave (from its acknowledged position), a running full resync or its own
/// recovery (from its last checkpoint) still needs; a slave that was away longer than that gets a full
/// resync. A slave's relay log is only a cache: segments wholly before its last checkpoint go.
/// </summary>
public sealed partial class DataNode
{
    private DateTimeOffset _nextPurge;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(1);

    private void PurgeOldSegments()
    {
        var now = _time.GetUtcNow();
        if (now < _nextPurge || _log is null)
            return;
        _nextPurge = now + PurgeInterval;

        var protectFrom = _lastCheckpoint;
        if (Role == NodeRole.Master)
            protectFrom = BinlogPosition.Min(protectFrom, _committedAtCheckpoint); // a restart reads from there (DataNode.RecoveredTail.cs)
        if (Role == NodeRole.Master)
            foreach (var link in _slaveLinks.Values)
                protectFrom = BinlogPosition.Min(protectFrom, link.ProtectFrom);
        if (protectFrom == BinlogPosition.Zero)
            return;

        var directory = _settings.LogDirectory;
        var numbers = BinlogDirectory.ListSegmentNumbers(directory);
        var retention = _settings.Retention ?? RetentionSettings.Default;
        long total = numbers.Sum(n => new FileInfo(BinlogDirectory.SegmentPath(directory, n)).Length);
        // Never the last segment (being written); a segment goes only when everything needed starts after it.
        for (int i = 0; i < numbers.Count - 1; i++)
        {
            var path = BinlogDirectory.SegmentPath(directory, numbers[i]);
            if (protectFrom.FileNumber <= numbers[i])
                break;
            var file = new FileInfo(path);
            bool tooBig = retention.MaxBytes > 0 && total > retention.MaxBytes;
            bool tooOld = retention.MaxAge > TimeSpan.Zero && now - file.LastWriteTimeUtc > retention.MaxAge;
            bool relayCache = Role == NodeRole.Slave;
            if (!tooBig && !tooOld && !relayCache)
                break;
            long length = file.Length;
            total -= length;
            file.Delete();
            Publish(Role == NodeRole.Master ? "binlog-purged" : "relay-purged",
                $"Purged {Path.GetFileName(path)} ({length} bytes); kept from {protectFrom} on.");
        }
    }
}
