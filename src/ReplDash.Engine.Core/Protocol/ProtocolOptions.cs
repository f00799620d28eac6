using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Protocol;

/// <summary>
/// UNSAFE legacy behaviours the machines can be switched into, for tests and the simulator only: each one is a
/// failure from docs/REPLICATION-LESSONS.md, kept so that the tests can show the safe rule is what prevents it.
/// </summary>
[Flags]
public enum UnsafeSwitches
{
    /// <summary>Every rule safe.</summary>
    None = 0,

    /// <summary>
    /// Lesson L1 (Pika): the slave reports its applied position in TrySync at once, without draining the applies in
    /// flight, and applies again what the master then resends.
    /// </summary>
    FirstAckWithoutDrain = 1,

    /// <summary>
    /// Lesson L3 (MySQL's crash-unsafe replica): the applied position is also written to a file of its own as items are
    /// applied, apart from the data, and a restart trusts that file (<see cref="SlaveRecovery.TrustedApplied"/>).
    /// </summary>
    AppliedPositionOutsideData = 2,

    /// <summary>
    /// Lesson L4: under AfterSync, readers see a write as soon as it is durable on the master (AfterCommit's
    /// visibility), while the wait point still counts as lossless.
    /// </summary>
    AfterCommitVisibilityCountedAsLossless = 4,

    // master-model (issue 16): the SendBack phase and WAIT.

    /// <summary>
    /// Lesson L5: a slave ahead of the master (or on another history) gets a full resync to the master's shorter
    /// history instead of a SendBack, losing what only it held.
    /// </summary>
    OverwriteSlaveHistory = 8,

    /// <summary>Lesson L5: items a slave sends back are taken without checking that they continue the master's own history.</summary>
    TailItemsUnchecked = 16,

    /// <summary>WAIT counts a slave as soon as the items were sent to it, before it acknowledged them synced.</summary>
    WaitCountsSentAsAcked = 32,

    /// <summary>
    /// Lesson L4 after a crash (MySQL's committed prepared tail): a restarted master counts its whole recovered binlog as
    /// committed, so writes that survived the crash unacknowledged become readable before any slave acknowledged them.
    /// </summary>
    RecoveredTailVisible = 64,
}

/// <summary>
/// The settings both machines run with (the engine's ReplicationSettings, as values). Times are in milliseconds; the
/// machines are told the time in microseconds with every input.
/// </summary>
/// <param name="LinkTimeoutMs">A side that hears nothing for this long closes the link (heartbeats every third of it).</param>
/// <param name="HandshakeTimeoutMs">A master gives a new connection this long to complete Hello.</param>
/// <param name="WindowItems">The sync window's item limit.</param>
/// <param name="WindowBytes">The sync window's byte limit.</param>
/// <param name="AckCoalesceMs">A slave acknowledges at most this long after the first batch not yet acknowledged (0: every batch).</param>
/// <param name="CheckpointIntervalMs">A slave checkpoints its data with the applied position this often.</param>
/// <param name="MinBackoffMs">A slave's first reconnect delay (doubling after each failed attempt).</param>
/// <param name="MaxBackoffMs">A slave's longest reconnect delay (also after a refusal).</param>
/// <param name="MaxBatchItems">Most items in one ItemBatch.</param>
/// <param name="MaxBatchBytes">Most item bytes in one ItemBatch.</param>
/// <param name="Unsafe">Unsafe legacy switches (tests only; None in production).</param>
public sealed record ProtocolOptions(
    long LinkTimeoutMs = 20_000,
    long HandshakeTimeoutMs = 5_000,
    int WindowItems = 9_000,
    long WindowBytes = 64L * 1024 * 1024,
    long AckCoalesceMs = 5,
    long CheckpointIntervalMs = 1_000,
    long MinBackoffMs = 100,
    long MaxBackoffMs = 5_000,
    int MaxBatchItems = 256,
    int MaxBatchBytes = 1024 * 1024,
    UnsafeSwitches Unsafe = UnsafeSwitches.None)
{
    /// <summary>True when <paramref name="flag"/> is switched on.</summary>
    public bool Has(UnsafeSwitches flag) => (Unsafe & flag) != 0;

    /// <summary>A side sends a heartbeat when it sent nothing for this long.</summary>
    public long HeartbeatMs => Math.Max(1, LinkTimeoutMs / 3);
}

/// <summary>What a master needs besides <see cref="ProtocolOptions"/>.</summary>
/// <param name="MasterId">This master's node id (the origin of its transactions).</param>
/// <param name="ClusterId">The cluster id sent in the Greeting.</param>
/// <param name="Secret">The replication secret a slave proves in its Hello.</param>
/// <param name="AcceptedSlaves">Slave ids this master accepts (and counts for semi-sync).</param>
/// <param name="SemiSync">Semi-sync settings at start.</param>
public sealed record MasterIdentity(string MasterId, string ClusterId, string Secret, IReadOnlyCollection<string> AcceptedSlaves,
    SemiSyncConfig SemiSync);

/// <summary>What a slave needs besides <see cref="ProtocolOptions"/>.</summary>
/// <param name="SlaveId">This slave's node id.</param>
/// <param name="MasterId">The master it follows.</param>
/// <param name="Secret">The replication secret.</param>
/// <param name="ClusterId">The cluster whose data it holds (empty: none yet).</param>
public sealed record SlaveIdentity(string SlaveId, string MasterId, string Secret, string ClusterId);
