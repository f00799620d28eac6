using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;

namespace ReplDash.Engine.Node;

/// <summary>
/// Lesson L4 after a crash: a restarted master does not count its recovered binlog as committed (MySQL does, and so
/// its prepared tail becomes readable before any replica holds it). The binlog beyond the committed position its last
/// checkpoint recorded waits like a durable write: its keys are pending (readers wait), and under AfterSync with
/// semi-sync ON it becomes visible once WaitForSlaveCount slaves acknowledge it again, or when the semi-sync timeout
/// switches OFF (the usual semisync-off event). No position recorded (a store of an earlier release, or none yet):
/// the whole binlog on disk is that tail.
/// </summary>
public sealed partial class DataNode
{
    // The committed position the last checkpoint recorded (at start: where the recovered tail begins). A restart reads
    // the binlog from here on, so the binlog keeps it.
    private BinlogPosition _committedAtCheckpoint;

    /// <summary>Where a master's recovered binlog stops counting as committed; the binlog's end for a slave.</summary>
    private BinlogPosition RecoveredCommittedPosition(RecoveredBinlog log)
    {
        // UNSAFE (tests only): the old rule, the whole recovered binlog is committed at once.
        if (Role != NodeRole.Master || _settings.Faults.UnsafeRecoveredTailVisible)
            return log.End;
        var recorded = _store!.ReadCommittedPosition() ?? log.Start;
        return BinlogPosition.Max(log.Start, BinlogPosition.Min(recorded, log.End));
    }

    /// <summary>Notes the keys the recovered tail (<paramref name="from"/> to <paramref name="end"/>) wrote as pending writes.</summary>
    private long RecordRecoveredTail(BinlogPosition from, BinlogPosition end)
    {
        long items = 0;
        if (from >= end)
            return items;
        foreach (var entry in new BinlogReader(_settings.LogDirectory).Read(from, end))
        {
            items++;
            // A check marker or a publish changes no data (as in ItemApplier).
            if (entry.Item.Type is BinlogItemType.CheckMarker or BinlogItemType.Publish)
                continue;
            foreach (var touched in KeysInDatabases.OfItem(entry.Item.Commands))
            {
                if (touched.WholeDataset)
                    _pending.RecordWholeDataset(entry.End);
                else
                    _pending.Record(entry.End, touched.Database, touched.Keys);
            }
        }
        return items;
    }

    /// <summary>After the semi-sync state is set up: says whether the recovered tail waits, and for what.</summary>
    private void ReportRecoveredTail(BinlogPosition from, BinlogPosition end, long items)
    {
        if (from >= end)
            return;
        var visible = _committed.Reached;
        Publish("recovered-tail", visible >= end
            ? $"Master {Id} recovered {items} binlog item(s) {from}..{end} beyond the last committed position; semi-sync does not wait (OFF or AFTER_COMMIT), so they are visible now."
            : $"Master {Id} recovered {items} binlog item(s) {from}..{end} beyond the last committed position: readers of the keys they wrote wait until " +
              $"{SemiSyncConfig.WaitForSlaveCount} slave(s) acknowledge them again, or the semi-sync timeout switches it OFF.");
    }
}
