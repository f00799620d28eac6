using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>An encoded binlog item and where it goes.</summary>
/// <param name="Start">Its position: the binlog's end when it was proposed.</param>
/// <param name="Encoded">Its bytes (checksummed).</param>
/// <param name="Id">Its transaction id.</param>
public sealed record AppendItem(BinlogPosition Start, byte[] Encoded, TransactionId Id)
{
    /// <summary>Where it ends.</summary>
    public BinlogPosition End => Start with { Offset = Start.Offset + Encoded.Length };
}

/// <summary>A consistent copy of a master's data for a full resync, tagged with the binlog position it reflects.</summary>
/// <param name="Begin">The SnapshotBegin frame (tag, logical offset, last transaction, key count).</param>
/// <param name="Chunks">The SnapshotChunk frames, one database each.</param>
/// <param name="End">The SnapshotEnd frame (digest).</param>
public sealed record MasterSnapshot(SnapshotBegin Begin, IReadOnlyList<SnapshotChunk> Chunks, SnapshotEnd End)
{
    /// <summary>Splits <paramref name="entries"/> (one database) into chunks of at most <paramref name="perChunk"/> keys.</summary>
    public static IReadOnlyList<SnapshotChunk> Chunk(IReadOnlyList<StoredEntry> entries, int perChunk)
    {
        var chunks = new List<SnapshotChunk>();
        for (int i = 0; i < entries.Count; i += perChunk)
            chunks.Add(new SnapshotChunk(entries.Skip(i).Take(perChunk).ToArray()));
        return chunks;
    }
}

/// <summary>
/// What a <see cref="MasterMachine"/> step asks the driver to do. Carry it out in this order, which is the protocol's
/// safety:
/// <list type="number">
/// <item><see cref="Appends"/>, in order, to the binlog (each starts where the previous ended, or at the first item of
/// the next segment: <see cref="IMasterLog.NextItemStart"/>); then apply <see cref="TakenBack"/> to memory, in order;</item>
/// <item><see cref="SyncTo"/>: make the binlog durable up to there, then report it with <see cref="MasterMachine.OnSynced"/>
/// (group commit: one sync covers every append before it);</item>
/// <item><see cref="Frames"/>, in order per link. The machine only ever puts items here that were reported durable
/// (nothing a crash of the master could take back reaches a slave);</item>
/// <item><see cref="Released"/>: the replies of these client writes may go out now: the wait rule holds (under
/// AfterSync with semi-sync ON, <see cref="SemiSyncConfig.WaitForSlaveCount"/> slaves acknowledged them synced);
/// readers may see everything before <see cref="Visible"/>;</item>
/// <item><see cref="WaitReplies"/>: answer these WAIT commands with their count (never more slaves than acknowledged the
/// target synced);</item>
/// <item><see cref="Closes"/>, after the frames queued for those links (an Error frame goes out before its close);</item>
/// <item><see cref="SnapshotRequests"/>: take a snapshot for these links and hand it to <see cref="MasterMachine.OnSnapshotReady"/>.</item>
/// </list>
/// </summary>
public sealed class MasterReady
{
    /// <summary>Items to append to the binlog, in order.</summary>
    public List<AppendItem> Appends { get; } = new();

    /// <summary>
    /// Items a slave sent back (lesson L5) that this master took back as its own: they are also in <see cref="Appends"/>;
    /// apply them to memory in order, like the replay of a recovered binlog.
    /// </summary>
    public List<BinlogItem> TakenBack { get; } = new();

    /// <summary>WAIT commands (the ids given to <see cref="MasterMachine.Wait"/>) to answer now, with how many slaves acknowledged.</summary>
    public List<(long RequestId, int Count)> WaitReplies { get; } = new();

    /// <summary>Sync the binlog up to here (null: nothing new to sync).</summary>
    public BinlogPosition? SyncTo { get; set; }

    /// <summary>Frames to send, in order.</summary>
    public List<LinkFrame> Frames { get; } = new();

    /// <summary>Client writes (the ids given to <see cref="MasterMachine.Propose"/>) whose replies may go out now.</summary>
    public List<long> Released { get; } = new();

    /// <summary>Readers may see every write before this position.</summary>
    public BinlogPosition Visible { get; set; }

    /// <summary>Links to close.</summary>
    public List<LinkClose> Closes { get; } = new();

    /// <summary>Links that need a snapshot (a full resync).</summary>
    public List<long> SnapshotRequests { get; } = new();

    /// <summary>Semi-sync switched ON or OFF in this step (with the reason).</summary>
    public List<SemiSyncTransition> SemiSyncSwitches { get; } = new();

    /// <summary>Events for operators.</summary>
    public List<ProtocolEvent> Events { get; } = new();

    /// <summary>Call <see cref="MasterMachine.Tick"/> at this time (µs) at the latest (null: no deadline).</summary>
    public long? NextTickUs { get; set; }
}
