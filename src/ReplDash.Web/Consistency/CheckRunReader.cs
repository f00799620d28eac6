using Microsoft.EntityFrameworkCore;
using ReplDash.Web.Store;

namespace ReplDash.Web.Consistency;

/// <summary>
/// Reads stored runs for the Consistency pages: a page of runs, newest first (the grid pages in the database), and
/// one run with its per-node results and differing keys, in the shapes of the API and the reports.
/// </summary>
public sealed class CheckRunReader(IDbContextFactory<DashboardDbContext> store, ConsistencyService service, TimeProvider time)
{
    /// <summary>Runs <paramref name="skip"/> .. skip+take, newest first, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<CheckRunDto> Items, int Total)> ReadPageAsync(int skip, int take, CancellationToken cancellation = default)
    {
        await using var db = await store.CreateDbContextAsync(cancellation);
        int total = await db.CheckRuns.CountAsync(cancellation);
        var runs = await db.CheckRuns.AsNoTracking().OrderByDescending(r => r.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 1000))
            .ToListAsync(cancellation);
        return (runs.Select(CheckRunDto.From).ToList(), total);
    }

    /// <summary>One run with its per-node results and findings, or null when there is no such run.</summary>
    public async Task<CheckReport?> ReadAsync(long runId, CancellationToken cancellation = default)
    {
        await using var db = await store.CreateDbContextAsync(cancellation);
        var run = await db.CheckRuns.AsNoTracking().Include(r => r.Findings).SingleOrDefaultAsync(r => r.Id == runId, cancellation);
        return run is null ? null : CheckReport.From(run, service.ClusterName, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>One run without its findings (a linked re-check's outcome), or null.</summary>
    public async Task<CheckRunDto?> ReadRunAsync(long runId, CancellationToken cancellation = default)
    {
        await using var db = await store.CreateDbContextAsync(cancellation);
        var run = await db.CheckRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellation);
        return run is null ? null : CheckRunDto.From(run);
    }

    /// <summary>
    /// The checks that followed a full resync asked from <paramref name="runId"/>'s page, newest first (their "started
    /// by" names the run: <see cref="ResyncFollowUpCheck.StartedBy"/>).
    /// </summary>
    public async Task<IReadOnlyList<CheckRunDto>> ResyncFollowUpsAsync(long runId, CancellationToken cancellation = default)
    {
        string marker = $" from check {runId} asked by ";
        await using var db = await store.CreateDbContextAsync(cancellation);
        var runs = await db.CheckRuns.AsNoTracking().Where(r => r.Id > runId && r.StartedBy.StartsWith("check after the full resync of ") && r.StartedBy.Contains(marker))
            .OrderByDescending(r => r.Id).Take(20).ToListAsync(cancellation);
        return runs.Select(CheckRunDto.From).ToList();
    }

    /// <summary>
    /// The live progress of a run: the engine's latest when this process works on it, else the stored counts (a run
    /// from before a restart, or one that ended before this process started).
    /// </summary>
    public CheckProgress ProgressOf(CheckRunDto run) => service.ProgressOf(run.Id)
        ?? new CheckProgress(run.Id, run.Status, run.Status == "running" ? "queued" : "done", run.ChunksDone, run.BucketsDone, run.BucketsTotal,
            run.KeysCompared, 0, run.DifferingKeys, null);
}
