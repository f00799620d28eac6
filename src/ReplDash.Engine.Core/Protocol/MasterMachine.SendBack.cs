using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// Lesson L5 on the master's side (docs/ARCHITECTURE.md, "The master machine"): a slave whose relay log ends beyond this
/// master's durable end, with this master's own last transaction, is asked for the items back (TrySync SendBack). They
/// arrive as TailItems frames; each frame is verified whole (<see cref="HistoryRules.CheckTailItem"/>: checksum, position
/// continuing the binlog or the next segment's first item, this master's origin, the next sequence) before any of it is
/// appended. Once what was taken back is durable, the TrySync is decided again: Continue from the new end, or Diverged
/// (the slave keeps its data). One TrySync is decided at a time (the adapter's TrySyncGate): two slaves sending back at
/// once would each have to continue the same end. While a slave sends back, client writes are refused
/// (<see cref="AcceptsWrites"/>): a write would take the very position the slave's next item holds.
/// </summary>
public sealed partial class MasterMachine
{
    // The link whose TrySync is being answered with a SendBack (null: none); TrySyncs of other links wait their turn.
    private long? _sendBackLink;
    private readonly Queue<long> _queuedTrySyncs = new();

    /// <summary>True while a slave is sending back items (client writes are refused meanwhile).</summary>
    public bool SendingBack => _sendBackLink is not null;

    private void StartSendBack(MasterSession session, TrySync request, TrySyncReply decision, long nowUs)
    {
        _sendBackLink = session.LinkId;
        session.Phase = MasterSessionPhase.SendingBack;
        session.PendingTrySync = request;
        session.TailFrom = decision.From;
        session.TailItemsTaken = 0;
        session.TailProblem = null;
        session.TailComplete = false;
        session.ProtectFrom = Durable;
        Send(session, decision, nowUs);
    }

    private void OnTailItems(MasterSession session, TailItems tail, long nowUs)
    {
        if (session.TailComplete)
        {
            Close(session, "TailItems after the final one", nowUs);
            return;
        }
        // After a refusal the rest is read and dropped, so that the slave hears the answer rather than a closed link.
        if (session.TailProblem is null && tail.Items.Count > 0)
            TakeBack(session, tail.Items, nowUs);
        if (tail.Final)
        {
            session.TailComplete = true;
            TryFinishSendBack(session, nowUs);
        }
    }

    /// <summary>The slave cannot send its items back (its relay log no longer holds them): nothing to take, the link stops.</summary>
    private void OnTailError(MasterSession session, ErrorMessage error, long nowUs)
    {
        session.TailProblem ??= $"the slave holds items beyond the master's end {session.TailFrom} but cannot send them back ({error.Code}: {error.Message})";
        session.TailComplete = true;
        TryFinishSendBack(session, nowUs);
    }

    /// <summary>Verifies a whole frame before appending any of it (a refused item leaves the binlog as it was).</summary>
    private void TakeBack(MasterSession session, IReadOnlyList<ShippedItem> items, long nowUs)
    {
        var end = new OwnHistoryEnd(_identity.MasterId, End, LastSequence);
        var verified = new List<(ShippedItem Shipped, BinlogItem Item)>(items.Count);
        foreach (var shipped in items)
        {
            var check = _options.Has(UnsafeSwitches.TailItemsUnchecked)
                ? CheckPositionOnly(end, shipped)
                : HistoryRules.CheckTailItem(end, shipped.Start, shipped.Encoded);
            if (!check.Valid)
            {
                session.TailProblem = $"{check.Problem}: not this master's own history";
                return;
            }
            verified.Add((shipped, check.Item!));
            end = check.Next;
        }
        foreach (var (shipped, item) in verified)
        {
            _ready.Appends.Add(new AppendItem(shipped.Start, shipped.Encoded, item.Id));
            _ready.TakenBack.Add(item);
            End = shipped.End;
            LastSequence = item.Id.Sequence;
            _semi.OnAppended(End, nowUs);
        }
        session.TailItemsTaken += verified.Count;
        _ready.SyncTo = End;
        AfterSemiSyncChange();
    }

    /// <summary>UNSAFE (tests only): whole items at the right position are taken whatever their origin and sequence.</summary>
    private static TailItemCheck CheckPositionOnly(OwnHistoryEnd end, ShippedItem shipped)
    {
        var status = BinlogItemCodec.TryDecode(shipped.Encoded, out var item, out int size);
        bool continues = shipped.Start == end.End
            || (shipped.Start.FileNumber == end.End.FileNumber + 1 && shipped.Start.Offset == BinlogFormat.SegmentHeaderSize);
        if (status != ItemDecodeStatus.Ok || size != shipped.Encoded.Length || !continues)
            return new TailItemCheck(null, end, $"the item at {shipped.Start} is not whole or does not continue {end.End}");
        return new TailItemCheck(item, end with { End = shipped.End, LastSequence = item!.Id.Sequence }, null);
    }

    /// <summary>Once the slave sent its last frame and what was taken back is durable: decide the TrySync again.</summary>
    private void TryFinishSendBack(MasterSession session, long nowUs)
    {
        if (session.Phase != MasterSessionPhase.SendingBack || !session.TailComplete || Durable < End)
            return;
        _sendBackLink = null;
        var request = session.PendingTrySync!;
        session.PendingTrySync = null;
        if (session.TailItemsTaken > 0)
            _ready.Events.Add(new ProtocolEvent("tail-recovered",
                $"Master {_identity.MasterId} took back {session.TailItemsTaken} item(s) from {session.TailFrom} to {End} from slave {session.SlaveId}: " +
                "they continue its own history (checksums, positions, ids), are appended to its binlog, synced and applied."));
        TrySyncReply next;
        if (session.TailProblem is { } problem)
            next = HistoryRules.Diverged(problem, End);
        else
        {
            next = DecideTrySync(request);
            if (next.Outcome != TrySyncOutcome.Continue)
                next = HistoryRules.Diverged($"after taking back {session.TailItemsTaken} item(s) up to {End}, the slave's position {request.Received} " +
                    $"(last {request.LastReceived}) still does not match: {next.Reason}", End);
        }
        _ready.Events.Add(new ProtocolEvent("trysync", $"Slave {session.SlaveId} after sending back: {next.Outcome}, {next.Reason}."));
        SlaveReported(session.SlaveId, nowUs);
        Send(session, next, nowUs);
        if (next.Outcome == TrySyncOutcome.Continue)
            StartStreaming(session, next.From, confirmed: true, nowUs);
        else
        {
            _ready.Events.Add(new ProtocolEvent("history-diverged", $"Slave {session.SlaveId} holds history this master cannot verify as its own: {next.Reason}."));
            Close(session, next.Reason, nowUs);
        }
        AnswerQueuedTrySyncs(nowUs);
    }

    /// <summary>A TrySync that arrived while another link was sending back: answered once that one is done.</summary>
    private bool QueueTrySyncWhileSendingBack(MasterSession session, TrySync request)
    {
        if (_sendBackLink is null || _sendBackLink == session.LinkId)
            return false;
        session.PendingTrySync = request;
        _queuedTrySyncs.Enqueue(session.LinkId);
        return true;
    }

    private void AnswerQueuedTrySyncs(long nowUs)
    {
        while (_sendBackLink is null && _queuedTrySyncs.TryDequeue(out long linkId))
            if (_sessions.TryGetValue(linkId, out var waiting) && waiting.Phase == MasterSessionPhase.AwaitTrySync
                && waiting.PendingTrySync is { } request)
            {
                waiting.PendingTrySync = null;
                OnTrySync(waiting, request, nowUs);
            }
    }

    /// <summary>A link ended: if it was sending back, the next TrySync may be answered (what was taken back stays taken).</summary>
    private void SendBackEnded(MasterSession session, long nowUs)
    {
        if (_sendBackLink != session.LinkId)
            return;
        _sendBackLink = null;
        AnswerQueuedTrySyncs(nowUs);
    }

    private TrySyncReply DecideTrySync(TrySync request) =>
        TrySyncRules.Decide(request, _log.View(Durable, LastSequence), _options.Has(UnsafeSwitches.OverwriteSlaveHistory));
}
