using System.Text.Json.Serialization;
using ReplDash.Web.Store.Consistency;

namespace ReplDash.Web.Consistency;

/// <summary>
/// A run's report: the JSON form (schema <see cref="SchemaId"/>, documented in docs/CONSISTENCY.md) and the model the
/// CSV and HTML forms are written from. Field names and meanings only ever gain members within a schema version.
/// </summary>
public sealed record CheckReport(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("cluster")] string Cluster,
    [property: JsonPropertyName("generatedUtc")] DateTime GeneratedUtc,
    [property: JsonPropertyName("run")] CheckRunDto Run,
    [property: JsonPropertyName("nodes")] IReadOnlyList<CheckNodeSummary> Nodes,
    [property: JsonPropertyName("findings")] IReadOnlyList<CheckFindingDto> Findings)
{
    /// <summary>The JSON report's schema identifier.</summary>
    public const string SchemaId = "repldash.check-report/1";

    /// <summary>Builds the report of <paramref name="run"/> (with its findings loaded).</summary>
    public static CheckReport From(CheckRunRecord run, string cluster, DateTime generatedUtc)
    {
        var findings = run.Findings.OrderBy(f => f.NodeId, StringComparer.Ordinal).ThenBy(f => f.Database).ThenBy(f => f.KeyHex, StringComparer.Ordinal)
            .Select(CheckFindingDto.From).ToList();
        return new CheckReport(SchemaId, cluster, generatedUtc, CheckRunDto.From(run), CheckNodeSummary.Of(run), findings);
    }

    /// <summary>The download's file name: cluster, run id and date, e.g. <c>repldash-m1-check-7-2026-12-07.csv</c>.</summary>
    public static string FileName(string cluster, long runId, DateTime date, string extension)
    {
        var safe = new string(cluster.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return $"repldash-{safe}-check-{runId}-{date:yyyy-MM-dd}.{extension}";
    }
}

/// <summary>One run as the API and the reports show it.</summary>
public sealed record CheckRunDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("startedUtc")] DateTime StartedUtc,
    [property: JsonPropertyName("endedUtc")] DateTime? EndedUtc,
    [property: JsonPropertyName("startedBy")] string StartedBy,
    [property: JsonPropertyName("master")] string Master,
    [property: JsonPropertyName("nodes")] IReadOnlyList<string> Nodes,
    [property: JsonPropertyName("bucketRanges")] string BucketRanges,
    [property: JsonPropertyName("bucketsDone")] int BucketsDone,
    [property: JsonPropertyName("bucketsTotal")] int BucketsTotal,
    [property: JsonPropertyName("chunksDone")] int ChunksDone,
    [property: JsonPropertyName("keysCompared")] long KeysCompared,
    [property: JsonPropertyName("differingChunks")] int DifferingChunks,
    [property: JsonPropertyName("differingKeys")] int DifferingKeys,
    [property: JsonPropertyName("firstMarkerPosition")] string? FirstMarkerPosition,
    [property: JsonPropertyName("lastMarkerPosition")] string? LastMarkerPosition,
    [property: JsonPropertyName("repairOfRunId")] long? RepairOfRunId,
    [property: JsonPropertyName("recheckRunId")] long? RecheckRunId,
    [property: JsonPropertyName("repairedUtc")] DateTime? RepairedUtc,
    [property: JsonPropertyName("repairedBy")] string? RepairedBy)
{
    /// <summary>The DTO of a stored run.</summary>
    public static CheckRunDto From(CheckRunRecord r) => new(r.Id, r.Status, r.Outcome, DateTime.SpecifyKind(r.StartedUtc, DateTimeKind.Utc),
        r.EndedUtc is { } ended ? DateTime.SpecifyKind(ended, DateTimeKind.Utc) : null, r.StartedBy, r.MasterId,
        r.Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.BucketRanges, r.BucketsDone, r.BucketsTotal, r.ChunksDone, r.KeysCompared,
        r.DifferingChunks, r.DifferingKeys, r.FirstMarkerPosition, r.LastMarkerPosition, r.RepairOfRunId, r.RecheckRunId,
        r.RepairedUtc is { } repaired ? DateTime.SpecifyKind(repaired, DateTimeKind.Utc) : null, r.RepairedBy);
}

/// <summary>The result for one compared slave.</summary>
public sealed record CheckNodeSummary(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("differingKeys")] int DifferingKeys,
    [property: JsonPropertyName("missingOnSlave")] int MissingOnSlave,
    [property: JsonPropertyName("missingOnMaster")] int MissingOnMaster,
    [property: JsonPropertyName("clean")] bool Clean)
{
    /// <summary>One summary per compared slave, in the run's order.</summary>
    public static IReadOnlyList<CheckNodeSummary> Of(CheckRunRecord run) =>
        run.Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(node =>
        {
            var mine = run.Findings.Where(f => f.NodeId == node).ToList();
            return new CheckNodeSummary(node, mine.Count, mine.Count(f => f.Difference.Contains("MissingOnSlave", StringComparison.Ordinal)),
                mine.Count(f => f.Difference.Contains("MissingOnMaster", StringComparison.Ordinal)), mine.Count == 0);
        }).ToList();
}

/// <summary>One differing key; <see cref="Database"/> is the numbered database holding it (0 in runs stored before it was recorded).</summary>
public sealed record CheckFindingDto(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("keyHex")] string KeyHex,
    [property: JsonPropertyName("bucket")] int Bucket,
    [property: JsonPropertyName("difference")] IReadOnlyList<string> Difference,
    [property: JsonPropertyName("master")] CheckKeySide? Master,
    [property: JsonPropertyName("slave")] CheckKeySide? Slave,
    [property: JsonPropertyName("database")] int Database = 0)
{
    /// <summary>The DTO of a stored finding.</summary>
    public static CheckFindingDto From(CheckFindingRecord f) => new(f.NodeId, f.Key, f.KeyHex, f.Bucket,
        f.Difference.Split(',', StringSplitOptions.RemoveEmptyEntries),
        f.MasterType is null ? null : new CheckKeySide(f.MasterType, f.MasterValueDigest ?? "", f.MasterExpireAtMs ?? 0),
        f.SlaveType is null ? null : new CheckKeySide(f.SlaveType, f.SlaveValueDigest ?? "", f.SlaveExpireAtMs ?? 0), f.Database);
}

/// <summary>One side's view of a key: type, SHA-1 of its value, absolute expiry (Unix ms, 0 = none).</summary>
public sealed record CheckKeySide(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("valueDigest")] string ValueDigest,
    [property: JsonPropertyName("expireAtMs")] long ExpireAtMs);
