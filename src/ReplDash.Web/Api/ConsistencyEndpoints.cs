using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Consistency;
using ReplDash.Web.Store;

namespace ReplDash.Web.Api;

/// <summary>
/// The consistency-check API (docs/OPERATIONS.md): start, list, show, cancel, repair, report. Bad input answers a
/// clear 400 (never a 500), an unknown run 404.
/// </summary>
public static class ConsistencyEndpoints
{
    /// <summary>Largest body accepted by POST /api/checks.</summary>
    public const int MaxStartBodyBytes = 64 * 1024;

    /// <summary>Default and largest number of runs listed.</summary>
    public const int DefaultTake = 50, MaxTake = 1000;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapConsistencyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/checks", StartAsync);
        app.MapGet("/api/checks", ListAsync);
        app.MapGet("/api/checks/{id:long}", ShowAsync);
        app.MapPost("/api/checks/{id:long}/cancel", (long id, ConsistencyActions actions, HttpContext http) =>
            Run(async () => { await actions.CancelCheckAsync(id, http.User, Via); return Results.Ok(new { id, status = "cancelled" }); }));
        app.MapPost("/api/checks/{id:long}/repair", (long id, ConsistencyActions actions, HttpContext http) =>
            Run(async () => Results.Accepted($"/api/checks/{await actions.RepairAsync(id, http.User, Via, http.RequestAborted) is var recheck}",
                new { id, recheckId = recheck })));
        app.MapPost("/api/checks/{id:long}/resync/{node}", (long id, string node, ConsistencyActions actions, HttpContext http) =>
            Run(async () => { await actions.ResyncFromRunAsync(id, node, http.User, Via); return Results.Accepted(value: new { message = $"full resync of {node} requested" }); }));
        app.MapGet("/api/checks/{id:long}/report", ReportAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext http, ConsistencyActions actions)
    {
        List<string>? nodes;
        try
        {
            nodes = await ReadNodesAsync(http.Request);
        }
        catch (BadRequestException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: 400);
        }
        return await Run(async () =>
        {
            long id = await actions.StartCheckAsync(nodes, http.User, Via, http.RequestAborted);
            return Results.Accepted($"/api/checks/{id}", new { id });
        });
    }

    /// <summary>Reads <c>{"nodes": [...]}</c>; every field optional, an empty body means every slave.</summary>
    private static async Task<List<string>?> ReadNodesAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var body = request.Body;
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxStartBodyBytes)
                throw new BadRequestException($"body larger than {MaxStartBodyBytes} bytes");
        }
        if (buffer.Length == 0 || Encoding.UTF8.GetString(buffer.ToArray()).Trim().Length == 0)
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"invalid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BadRequestException("the body must be a JSON object, e.g. {\"nodes\": [\"s1\"]}");
            if (!document.RootElement.TryGetProperty("nodes", out var nodes) || nodes.ValueKind == JsonValueKind.Null)
                return null;
            if (nodes.ValueKind != JsonValueKind.Array)
                throw new BadRequestException("\"nodes\" must be an array of node ids, e.g. [\"s1\"]");
            var ids = new List<string>();
            foreach (var node in nodes.EnumerateArray())
            {
                if (node.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetString()))
                    throw new BadRequestException("\"nodes\" must hold node ids as non-empty strings");
                ids.Add(node.GetString()!);
            }
            return ids;
        }
    }

    private static async Task<IResult> ListAsync(IDbContextFactory<DashboardDbContext> store, int? take)
    {
        int count = Math.Clamp(take ?? DefaultTake, 1, MaxTake);
        await using var db = await store.CreateDbContextAsync();
        var runs = await db.CheckRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(count).ToListAsync();
        return Results.Ok(runs.Select(CheckRunDto.From));
    }

    private static async Task<IResult> ShowAsync(long id, IDbContextFactory<DashboardDbContext> store, ConsistencyService service)
    {
        await using var db = await store.CreateDbContextAsync();
        var run = await db.CheckRuns.AsNoTracking().Include(r => r.Findings).SingleOrDefaultAsync(r => r.Id == id);
        if (run is null)
            return Results.Json(new { error = $"no check {id}" }, statusCode: 404);
        var report = CheckReport.From(run, service.ClusterName, run.EndedUtc ?? run.StartedUtc);
        var progress = service.ProgressOf(id);
        return Results.Ok(new
        {
            run = report.Run,
            status = run.Status,
            nodes = report.Nodes,
            findings = report.Findings,
            progress,
        });
    }

    private static async Task<IResult> ReportAsync(long id, string? format, IDbContextFactory<DashboardDbContext> store, ConsistencyService service,
        TimeProvider time)
    {
        format = (format ?? "json").ToLowerInvariant();
        if (format is not ("csv" or "json" or "html"))
            return Results.Json(new { error = $"unknown format '{format}'; use csv, json or html" }, statusCode: 400);
        await using var db = await store.CreateDbContextAsync();
        var run = await db.CheckRuns.AsNoTracking().Include(r => r.Findings).SingleOrDefaultAsync(r => r.Id == id);
        if (run is null)
            return Results.Json(new { error = $"no check {id}" }, statusCode: 404);
        var now = time.GetUtcNow().UtcDateTime;
        var report = CheckReport.From(run, service.ClusterName, now);
        string fileName = CheckReport.FileName(report.Cluster, id, DateTime.SpecifyKind(run.StartedUtc, DateTimeKind.Utc), format);
        switch (format)
        {
            case "csv":
                var csv = new StringWriter();
                CheckReportCsv.Write(report, csv);
                return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", fileName);
            case "html":
                return Results.File(Encoding.UTF8.GetBytes(CheckReportHtml.Render(report)), "text/html; charset=utf-8", fileName);
            default:
                return Results.File(JsonSerializer.SerializeToUtf8Bytes(report, new JsonSerializerOptions { WriteIndented = true }),
                    "application/json", fileName);
        }
    }

    /// <summary>Where these actions come from, as events record it next to the user or key.</summary>
    private const string Via = "api";

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (OperatorActionException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: e.Status);
        }
    }

    private sealed class BadRequestException(string message) : Exception(message);
}
