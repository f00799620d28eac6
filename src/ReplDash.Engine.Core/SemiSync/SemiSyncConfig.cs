using ReplDash.Engine.Core.Settings;

namespace ReplDash.Engine.Core.SemiSync;

/// <summary>Where a master waits for its slaves' acknowledgements (MySQL's rpl_semi_sync_master_wait_point).</summary>
public enum SemiSyncWaitPoint
{
    /// <summary>Lossless: a transaction becomes visible and is answered only once the quorum has it in its relay logs.</summary>
    AfterSync,
    /// <summary>Weaker: visible to every reader once durable on the master; only its own client waits for the acks.</summary>
    AfterCommit,
}

/// <summary>Trace bit flags, as MySQL's rpl_semi_sync_master_trace_level.</summary>
[Flags]
public enum SemiSyncTrace
{
    None = 0,
    /// <summary>Switches and setting changes.</summary>
    General = 1,
    /// <summary>Every wait that starts and ends, with positions.</summary>
    Detail = 16,
    /// <summary>Every acknowledgement received, with positions and latency.</summary>
    NetWait = 32,
    /// <summary>Entry and exit of the wait and ack handlers.</summary>
    Function = 64,
}

/// <summary>Semi-synchronous replication settings of a master; all can change at run time.</summary>
/// <param name="Enabled">Wait for acknowledgements at all (rpl_semi_sync_master_enabled).</param>
/// <param name="WaitPoint">AfterSync (default, lossless) or AfterCommit.</param>
/// <param name="WaitForSlaveCount">Slaves that must acknowledge each transaction.</param>
/// <param name="TimeoutMs">A transaction waits this long for its acknowledgements; then semi-sync switches OFF.</param>
/// <param name="TraceLevel">What is written to the trace log.</param>
public sealed record SemiSyncConfig(bool Enabled, SemiSyncWaitPoint WaitPoint, int WaitForSlaveCount, long TimeoutMs, SemiSyncTrace TraceLevel)
{
    public static SemiSyncConfig Default { get; } = new(true, SemiSyncWaitPoint.AfterSync, 1, 10_000, SemiSyncTrace.None);

    /// <summary>
    /// Why these settings cannot be used, or null when they can. Every path that sets them (start-up configuration,
    /// CONFIG SET, the REST API) asks this, so all refuse the same values (ranges in <see cref="SettingRanges"/>).
    /// </summary>
    /// <param name="configuredSlaves">Slaves configured for this master (null: unknown, no upper bound).</param>
    /// <param name="configKeys">Name the settings by their configuration keys (start-up) instead of MySQL's names (run time).</param>
    public string? Problem(int? configuredSlaves, bool configKeys = false)
    {
        string Name(SettingRange range) => configKeys ? range.ConfigKey : range.RuntimeName!;
        if (SettingRanges.SemiSyncTimeoutMs.Problem(Name(SettingRanges.SemiSyncTimeoutMs), TimeoutMs) is { } timeout)
            return timeout;
        if (SettingRanges.SemiSyncWaitForSlaveCount.Problem(Name(SettingRanges.SemiSyncWaitForSlaveCount), WaitForSlaveCount) is { } count)
            return count;
        if (configuredSlaves is int slaves && slaves > 0 && WaitForSlaveCount > slaves)
            return $"{Name(SettingRanges.SemiSyncWaitForSlaveCount)} {WaitForSlaveCount} is above the {slaves} slave(s) configured for this master";
        if (((int)TraceLevel & ~KnownTraceBits) != 0)
            return $"{Name(SettingRanges.SemiSyncTraceLevel)} {(int)TraceLevel} has unknown bits (known: 1 general, 16 detail, 32 net wait, 64 function)";
        return null;
    }

    private const int KnownTraceBits = (int)(SemiSyncTrace.General | SemiSyncTrace.Detail | SemiSyncTrace.NetWait | SemiSyncTrace.Function);

    /// <summary>Parses a wait point in MySQL's spelling (AFTER_SYNC) or ours (AfterSync).</summary>
    public static bool TryParseWaitPoint(string text, out SemiSyncWaitPoint waitPoint)
    {
        switch (text.Replace("_", "").ToUpperInvariant())
        {
            case "AFTERSYNC":
                waitPoint = SemiSyncWaitPoint.AfterSync;
                return true;
            case "AFTERCOMMIT":
                waitPoint = SemiSyncWaitPoint.AfterCommit;
                return true;
            default:
                waitPoint = default;
                return false;
        }
    }

    /// <summary>MySQL's spelling of a wait point.</summary>
    public static string MySqlName(SemiSyncWaitPoint waitPoint) =>
        waitPoint == SemiSyncWaitPoint.AfterSync ? "AFTER_SYNC" : "AFTER_COMMIT";
}
