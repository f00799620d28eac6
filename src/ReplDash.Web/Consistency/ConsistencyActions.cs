using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Consistency;

namespace ReplDash.Web.Consistency;

/// <summary>
/// Every consistency action an operator (or the schedule) can take, in one place, like <see cref="OperatorActions"/>,
/// and guarded by the same rule (<see cref="OperatorActions.Authorize"/>: Operators only, 403 otherwise). Each action
/// is recorded as an event with who asked and the outcome. Refusals are <see cref="OperatorActionException"/>s with
/// an HTTP status. <c>via</c> says where the request came from ("api", "dashboard").
/// </summary>
public sealed class ConsistencyActions(ConsistencyService service, IDbContextFactory<DashboardDbContext> store, OperatorActions operatorActions,
    ResyncFollowUpCheck followUp, TimeProvider time)
{
    /// <summary>Starts a check of <paramref name="nodes"/> (null or empty: every slave of the master); returns the run id.</summary>
    public async Task<long> StartCheckAsync(IReadOnlyList<string>? nodes, ClaimsPrincipal by, string via, CancellationToken cancellation = default)
    {
        string startedBy = $"{OperatorActions.Authorize(by, "start consistency checks")} ({via})";
        var master = service.Master ?? throw new OperatorActionException(400, "no master is hosted in this process; start checks where the master runs");
        var slaves = service.SlavesOf(master.Id);
        IReadOnlyList<string> chosen = nodes is { Count: > 0 } ? nodes.Distinct().ToList() : slaves;
        foreach (var node in chosen)
            if (!slaves.Contains(node))
                throw new OperatorActionException(400, node == master.Id
                    ? $"{node} is the master; name the slaves to compare with it ({string.Join(", ", slaves)})"
                    : $"unknown node '{node}'; the slaves of {master.Id} are: {string.Join(", ", slaves)}");
        if (chosen.Count == 0)
            throw new OperatorActionException(400, $"{master.Id} has no slaves to compare");
        return await service.EnqueueAsync(master, chosen, CheckScope.Everything, startedBy, null, cancellation);
    }

    /// <summary>Cancels a queued or running run.</summary>
    public async Task CancelCheckAsync(long runId, ClaimsPrincipal user, string via)
    {
        string by = $"{OperatorActions.Authorize(user, $"cancel check {runId}")} ({via})";
        var run = await FindAsync(runId);
        if (run.Status != CheckRunStatus.Running || !await service.CancelAsync(runId, by))
            throw new OperatorActionException(400, $"check {runId} is {run.Status}, not running");
    }

    /// <summary>
    /// Repairs every differing key of a completed run through the binlog (the master re-writes its value and expiry,
    /// or deletes what it lacks), then starts a re-check of the affected buckets, linked to the run. Returns its id.
    /// </summary>
    public async Task<long> RepairAsync(long runId, ClaimsPrincipal user, string via, CancellationToken cancellation = default)
    {
        string by = $"{OperatorActions.Authorize(user, $"repair check {runId}")} ({via})";
        var master = service.Master ?? throw new OperatorActionException(400, "no master is hosted in this process");
        var run = await FindAsync(runId, withFindings: true);
        if (run.Status != CheckRunStatus.Completed)
            throw new OperatorActionException(400, $"check {runId} is {run.Status}; only a completed check can be repaired");
        if (run.RecheckRunId is { } recheck)
            throw new OperatorActionException(400, $"check {runId} was repaired already (re-check {recheck})");
        if (run.Findings.Count == 0)
            throw new OperatorActionException(400, $"check {runId} found no difference; nothing to repair");
        if (run.MasterId != master.Id)
            throw new OperatorActionException(400, $"check {runId} compared against {run.MasterId}, not this process's master {master.Id}");

        // A key is the same key only in the same database: each is re-written in the database it differed in.
        var keys = run.Findings.Select(f => (f.Database, f.KeyHex)).Distinct().Select(k => (k.Database, Convert.FromHexString(k.KeyHex))).ToList();
        (Engine.Core.Binlog.BinlogPosition End, List<(int Database, byte[] Key)> Skipped) repaired;
        try
        {
            repaired = master.RepairKeys(keys);
        }
        catch (Exception e) when (e is Engine.Node.NodeUnavailableException or InvalidOperationException)
        {
            service.Publish(master.Id, "check-repair", $"Repair of check {runId} asked by {by} failed: {e.Message}.");
            throw new OperatorActionException(400, e.Message);
        }
        string skipped = repaired.Skipped.Count == 0 ? "" : $"; {repaired.Skipped.Count} keys too large to re-write in one item were left";
        service.Publish(master.Id, "check-repair",
            $"Repair of check {runId} asked by {by}: {keys.Count - repaired.Skipped.Count} keys re-written through the binlog up to {repaired.End}{skipped}.");

        var nodes = run.Findings.Select(f => f.NodeId).Distinct().Order().ToList();
        var scope = CheckScope.OfBuckets(run.Findings.Select(f => f.Bucket));
        long recheckId = await service.EnqueueAsync(master, nodes, scope, $"re-check after the repair of check {runId} asked by {by}", runId, cancellation);
        await using var db = await store.CreateDbContextAsync(cancellation);
        var tracked = await db.CheckRuns.SingleAsync(r => r.Id == runId, cancellation);
        tracked.RecheckRunId = recheckId;
        // The re-check's start time is the repair's: both come from the service's clock.
        tracked.RepairedUtc = (await db.CheckRuns.AsNoTracking().SingleAsync(r => r.Id == recheckId, cancellation)).StartedUtc;
        tracked.RepairedBy = by.Length <= 256 ? by : by[..256];
        await db.SaveChangesAsync(cancellation);
        return recheckId;
    }

    /// <summary>
    /// Full resync of a slave from a run's page (the MudBlazor issue's resync flow), recorded with who asked; once the
    /// resync completed, a check of that slave follows (<see cref="ResyncFollowUpCheck"/>).
    /// </summary>
    public async Task ResyncFromRunAsync(long runId, string nodeId, ClaimsPrincipal user, string via)
    {
        string by = $"{OperatorActions.Authorize(user, $"resync {nodeId}")} ({via})";
        await FindAsync(runId);
        var requestedAt = time.GetUtcNow();
        operatorActions.RequestResync(nodeId, user, via);
        service.Publish(nodeId, "check-resync", $"Full resync of {nodeId} asked by {by} from check {runId}; a check of {nodeId} follows when it completes.");
        followUp.Watch(nodeId, runId, by, requestedAt);
    }

    private async Task<CheckRunRecord> FindAsync(long runId, bool withFindings = false)
    {
        await using var db = await store.CreateDbContextAsync();
        var query = db.CheckRuns.AsNoTracking();
        if (withFindings)
            query = query.Include(r => r.Findings);
        return await query.SingleOrDefaultAsync(r => r.Id == runId) ?? throw new OperatorActionException(404, $"no check {runId}");
    }
}
