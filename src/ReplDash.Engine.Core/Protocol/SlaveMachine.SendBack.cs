using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// Lesson L5 on the slave's side: the master lost the tail of its binlog and asks for it back (TrySync SendBack). The
/// relay log mirrors the master's binlog at the same positions, so its items from where the master asks up to the
/// synced relay end (what the TrySync reported) go back byte for byte, in TailItems frames of bounded size, the last one
/// Final; the master verifies every one and answers the TrySync again (Continue from its new end, or Diverged). When the
/// relay log no longer holds those items (reset by a snapshot, purged), the slave says so with an error frame and stops
/// as diverged: nothing can restore the master, and the slave keeps what it holds.
/// </summary>
public sealed partial class SlaveMachine
{
    /// <summary>Most items in one TailItems frame.</summary>
    public const int MaxTailFrameItems = 256;

    /// <summary>Most item bytes in one TailItems frame.</summary>
    public const int MaxTailFrameBytes = 1024 * 1024;

    private TailReadRequest? _tailRead;

    private void AskTailRead(TrySyncReply reply)
    {
        // The phase stays AwaitTrySyncReply: the master's next frame is its second answer to this TrySync.
        _tailRead = new TailReadRequest(_linkId, reply.From, Received.Position);
        _ready.TailRead = _tailRead;
        _ready.Events.Add(new ProtocolEvent("tail-sent-back", $"Master {_identity.MasterId} lost items this slave holds: sending back {reply.From}..{Received.Position}."));
    }

    /// <summary>
    /// The driver read the relay items <see cref="SlaveReady.TailRead"/> asked for: <paramref name="items"/> in order, or null when
    /// the relay log does not hold them (<paramref name="unavailable"/> says why).
    /// </summary>
    public void OnTailRead(IReadOnlyList<ShippedItem>? items, string? unavailable, long nowUs)
    {
        if (_tailRead is not { } asked || asked.LinkId != _linkId || Phase != SlavePhase.AwaitTrySyncReply)
            return; // the link went down meanwhile: the next TrySync asks again
        _tailRead = null;
        if (items is null || items.Count == 0 || !ContinuesRelay(asked.From, items[0].Start) || items[^1].End != asked.Until)
        {
            string reason = unavailable ?? $"the relay log does not hold {asked.From}..{asked.Until} whole";
            Send(new ErrorMessage("TAIL_UNAVAILABLE", reason), nowUs);
            StopDiverged($"the master lost items this slave holds but they cannot be sent back: {reason}", nowUs);
            return;
        }
        var frame = new List<ShippedItem>();
        long bytes = 0;
        foreach (var item in items)
        {
            frame.Add(item);
            bytes += item.Encoded.Length;
            if (frame.Count >= MaxTailFrameItems || bytes >= MaxTailFrameBytes)
            {
                Send(new TailItems(frame.ToArray(), Final: false), nowUs);
                frame.Clear();
                bytes = 0;
            }
        }
        Send(new TailItems(frame.ToArray(), Final: true), nowUs);
    }

    /// <summary>
    /// An item continues the relay log ending at <paramref name="end"/> when it starts there, or at the first item of a later
    /// the next segment (the master rotated, as HistoryRules.CheckTailItem accepts; the relay writer accepts any later segment).
    /// </summary>
    private static bool ContinuesRelay(BinlogPosition end, BinlogPosition start) =>
        start == end || (start.FileNumber == end.FileNumber + 1 && start.Offset == BinlogFormat.SegmentHeaderSize);
}

/// <summary>Read these relay items (from an item boundary up to the synced relay end) and report them with <see cref="SlaveMachine.OnTailRead"/>.</summary>
/// <param name="LinkId">The link that asked.</param>
/// <param name="From">Where the master's binlog ends now.</param>
/// <param name="Until">Where this slave's relay log ends (what its TrySync reported, synced).</param>
public sealed record TailReadRequest(long LinkId, BinlogPosition From, BinlogPosition Until);

public sealed partial class SlaveReady
{
    /// <summary>Lesson L5: read these relay items for the master and hand them to <see cref="SlaveMachine.OnTailRead"/>.</summary>
    public TailReadRequest? TailRead { get; set; }
}
