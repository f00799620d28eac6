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
    string? LastError)
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
        status.LastError);
}

/// <summary>Body of <c>GET /api/cluster</c>.</summary>
public sealed record ClusterResponse(IReadOnlyList<NodeStatusDto> Nodes);
