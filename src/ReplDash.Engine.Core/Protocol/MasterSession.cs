using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>Where one link of a master stands (docs/ARCHITECTURE.md, "The master machine").</summary>
public enum MasterSessionPhase
{
    /// <summary>Greeting sent; the peer must prove the secret with a Hello within the handshake timeout.</summary>
    AwaitHello,
    /// <summary>Welcome sent; waiting for the slave's TrySync.</summary>
    AwaitTrySync,
    /// <summary>
    /// Lesson L5: TrySync found the slave ahead (SendBack sent); its relay items arrive as TailItems and are taken back as
    /// this master's own history; once they are durable, TrySync is decided again (Continue, or Diverged).
    /// </summary>
    SendingBack,
    /// <summary>A full resync was decided; waiting for the driver's snapshot, then for the binlog to be durable up to its tag.</summary>
    AwaitSnapshot,
    /// <summary>Shipping durable items inside the sync window and checking acks against it.</summary>
    Streaming,
}

/// <summary>One link's state inside a <see cref="MasterMachine"/> (mutable; the machine's own).</summary>
internal sealed class MasterSession(long linkId, byte[] nonce, long nowUs)
{
    public long LinkId { get; } = linkId;
    public byte[] Nonce { get; } = nonce;
    public string? SlaveId { get; set; }
    public MasterSessionPhase Phase { get; set; } = MasterSessionPhase.AwaitHello;
    public long LastHeardUs { get; set; } = nowUs;
    public long LastSentUs { get; set; } = nowUs;
    public SyncWindow? Window { get; set; }
    public BinlogPosition ProtectFrom { get; set; }
    public BinlogPosition SlaveApplied { get; set; }
    public MasterSnapshot? Snapshot { get; set; }
    public long LastAckLatencyUs { get; set; }
    /// <summary>
    /// True once the slave is known to hold what the window counts as acknowledged: at once after a Continue (it synced its
    /// relay log before asking), only after its first ack after a snapshot (the snapshot may still be in flight or loading).
    /// </summary>
    public bool Confirmed { get; set; }
    /// <summary>The TrySync being answered while SendingBack (decided again once the items taken back are durable).</summary>
    public TrySync? PendingTrySync { get; set; }
    /// <summary>SendingBack: where taking back started, how many items were taken, the first refusal, whether the slave sent its last frame.</summary>
    public BinlogPosition TailFrom { get; set; }
    public int TailItemsTaken { get; set; }
    public string? TailProblem { get; set; }
    public bool TailComplete { get; set; }

    public MasterSessionView View() => new(LinkId, SlaveId, Phase, Window?.SentEnd ?? default, Window?.AckedEnd ?? default,
        SlaveApplied, Window?.InFlightItems ?? 0, Window?.InFlightBytes ?? 0, ProtectFrom, LastAckLatencyUs);
}

/// <summary>A link as the master machine sees it (an immutable copy for status pages and tests).</summary>
public sealed record MasterSessionView(long LinkId, string? SlaveId, MasterSessionPhase Phase, BinlogPosition SentEnd, BinlogPosition AckedEnd,
    BinlogPosition SlaveApplied, int InFlightItems, long InFlightBytes, BinlogPosition ProtectFrom, long LastAckLatencyUs);
