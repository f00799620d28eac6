using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Api;

/// <summary>
/// One node in <c>GET /api/cluster</c>. Positions come both as the operator string
/// (<c>binlog.000001:4096</c>) and split into file name and offset, so scripts need not parse.
/// </summary>
public sealed record NodeStatusDto(
    string Id,
    string Role,
    string State,
    int RespPort,
    string BinlogEnd,
    string BinlogEndFile,
    long BinlogEndOffset,
    string Durable,
    string DurableFile,
    long DurableOffset,
    long LogicalOffset,
    long KeyCount,
    double OpsPerSecond,
    string? LastError,
    string Applied,
    IReadOnlyList<SlaveLinkDto>? Slaves,
    MasterLinkDto? Link,
    SemiSyncDto? SemiSync,
    string? BinlogDamage = null,
    IReadOnlyDictionary<int, long>? KeysByDatabase = null)
{
    /// <summary>Maps the engine's status record.</summary>
    public static NodeStatusDto From(NodeStatus status) => new(
        status.Id,
        status.Role,
        status.State,
        status.RespPort,
        status.BinlogEnd.ToString(),
        BinlogFileNames.SegmentName(status.BinlogEnd.FileNumber),
        status.BinlogEnd.Offset,
        status.Durable.ToString(),
        BinlogFileNames.SegmentName(status.Durable.FileNumber),
        status.Durable.Offset,
        status.LogicalOffset,
        status.KeyCount,
        Math.Round(status.OpsPerSecond, 1),
        status.LastError,
        status.Applied.ToString(),
        status.Slaves?.Select(SlaveLinkDto.From).ToList(),
        status.Link is null ? null : MasterLinkDto.From(status.Link),
        status.SemiSync is null ? null : SemiSyncDto.From(status.SemiSync),
        status.BinlogDamage,
        status.KeysByDatabase);
}

/// <summary>A master's link to one slave: positions sent and acknowledged, lag, and the sync window.</summary>
public sealed record SlaveLinkDto(string SlaveId, string Address, string State, string Sent, string Acked, string SlaveApplied,
    long LagBytes, int WindowItems, long WindowBytes, int InFlightItems, long InFlightBytes, long LastAckLatencyMs, long WindowCorruptions)
{
    public static SlaveLinkDto From(SlaveLinkView v) => new(v.SlaveId, v.Address, v.State, v.Sent.ToString(), v.Acked.ToString(),
        v.SlaveApplied.ToString(), v.LagBytes, v.WindowItems, v.WindowBytes, v.InFlightItems, v.InFlightBytes, v.LastAckLatencyMs, v.WindowCorruptions);
}

/// <summary>A slave's link to its master: positions received, relay-synced and applied, lag, and the running or last full resync.</summary>
public sealed record MasterLinkDto(string MasterAddress, string LinkState, long LastHeardSecondsAgo, string Received, string RelaySynced,
    string Applied, string MasterEnd, long LagBytes, long LagItems, long LagMs, long SlowApplies, long SlowestRecentApplyMs, string? LastError,
    ResyncProgressDto? Resync = null)
{
    public static MasterLinkDto From(MasterLinkView v) => new(v.MasterAddress, v.LinkState, v.LastHeardSecondsAgo, v.Received.ToString(),
        v.RelaySynced.ToString(), v.Applied.ToString(), v.MasterEnd.ToString(), v.LagBytes, v.LagItems, v.LagMs, v.SlowApplies,
        v.SlowestRecentApplyMs, v.LastError, v.Resync is null ? null : ResyncProgressDto.From(v.Resync));
}

/// <summary>
/// A slave's running or last full resync (docs/REPLICATION.md, "Full resync"): <c>phase</c> is requested, receiving,
/// loading, catching-up, completed or failed; <c>phases</c> lists each phase entered with its time.
/// </summary>
public sealed record ResyncProgressDto(string Phase, long KeysTotal, long KeysReceived, long BytesReceived, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, double KeysPerSecond, string? Outcome, string? Trigger, IReadOnlyList<ResyncPhaseDto> Phases)
{
    public static ResyncProgressDto From(ResyncProgressView v) => new(v.Phase, v.KeysTotal, v.KeysReceived, v.BytesReceived, v.StartedAt,
        v.FinishedAt, v.KeysPerSecond, v.Outcome, v.Trigger, (v.Phases ?? []).Select(p => new ResyncPhaseDto(p.Phase, p.At)).ToList());
}

/// <summary>A full resync entered <c>phase</c> at <c>at</c>.</summary>
public sealed record ResyncPhaseDto(string Phase, DateTimeOffset At);

/// <summary>Body of <c>GET /api/cluster</c>.</summary>
public sealed record ClusterResponse(IReadOnlyList<NodeStatusDto> Nodes);
