using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Consistency;

namespace ReplDash.Web.Consistency;

/// <summary>
/// Runs consistency checks one at a time, in the order asked: on request, on the schedule
/// (<c>ReplDash:Consistency:Schedule</c>), and at start for runs a stop or crash left running (they continue from
/// their last finished chunk). Operators reach it through <see cref="ConsistencyActions"/>.
/// </summary>
public sealed class ConsistencyService : BackgroundService
{
    private readonly ClusterHost _cluster;
    private readonly IDbContextFactory<DashboardDbContext> _store;
    private readonly ConsistencyOptions _options;
    private readonly IEngineEventSink _events;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsistencyService> _logger;
    private readonly CheckRunner _runner;
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, bool> _queued = new();
    private readonly ConcurrentDictionary<long, (CancellationTokenSource Cancel, Task Done)> _executing = new();
    private readonly ConcurrentDictionary<long, CheckProgress> _progress = new();

    /// <summary>Created once per host.</summary>
    public ConsistencyService(ClusterHost cluster, IDbContextFactory<DashboardDbContext> store, IOptions<ConsistencyOptions> options,
        IEngineEventSink events, TimeProvider time, ILogger<ConsistencyService> logger)
    {
        _cluster = cluster;
        _store = store;
        _options = options.Value;
        _events = events;
        _time = time;
        _logger = logger;
        _runner = new CheckRunner(store, _options, time, logger);
        _runner.Progressed += OnProgress;
    }

    /// <summary>Raised on every progress change of a run (from the runner's task: subscribers must not block).</summary>
    public event Action<CheckProgress>? Progressed;

    /// <summary>The latest progress of runs this process has worked on.</summary>
    public CheckProgress? ProgressOf(long runId) => _progress.GetValueOrDefault(runId);

    /// <summary>The master hosted in this process, or null (checks are written by the master).</summary>
    public DataNode? Master => _cluster.HostedNodes.FirstOrDefault(n => n.Role == NodeRole.Master);

    /// <summary>The master's id, which names the cluster in reports.</summary>
    public string ClusterName => Master?.Id ?? _cluster.Options.Nodes.FirstOrDefault(n => n.Role == "master")?.Id ?? "cluster";

    /// <summary>The slaves of the configuration that replicate from <paramref name="masterId"/>.</summary>
    public IReadOnlyList<string> SlavesOf(string masterId) =>
        _cluster.Options.Nodes.Where(n => string.Equals(n.Role, "slave", StringComparison.OrdinalIgnoreCase) && (n.Master is null || n.Master == masterId))
            .Select(n => n.Id).ToList();

    /// <summary>Creates a run and queues it. The caller validated the nodes.</summary>
    internal async Task<long> EnqueueAsync(DataNode master, IReadOnlyList<string> slaves, CheckScope scope, string startedBy, long? repairOf,
        CancellationToken cancellation)
    {
        var run = new CheckRunRecord
        {
            StartedUtc = _time.GetUtcNow().UtcDateTime,
            StartedBy = Limit(startedBy, 256),
            Status = CheckRunStatus.Running,
            MasterId = master.Id,
            Nodes = string.Join(",", slaves),
            BucketRanges = scope.ToString(),
            BucketsTotal = scope.BucketCount,
            RepairOfRunId = repairOf,
        };
        await using (var db = await _store.CreateDbContextAsync(cancellation))
        {
            db.CheckRuns.Add(run);
            await db.SaveChangesAsync(cancellation);
        }
        Publish(master.Id, "check-started", $"Consistency check {run.Id} of {run.Nodes} against {master.Id} started by {run.StartedBy} ({scope.BucketCount} of {KeyBuckets.Count} buckets).");
        _progress[run.Id] = CheckRunner.ProgressOf(run, "queued", 0);
        _queued[run.Id] = true;
        _queue.Writer.TryWrite(run.Id);
        return run.Id;
    }

    /// <summary>Cancels a queued or running run; returns once it has stopped. False when it is not running.</summary>
    internal async Task<bool> CancelAsync(long runId, string by)
    {
        if (_executing.TryGetValue(runId, out var executing))
        {
            Publish(ClusterName, "check-cancel", $"Consistency check {runId}: cancellation asked by {by}.");
            await executing.Cancel.CancelAsync();
            await executing.Done;
            return true;
        }
        if (!_queued.TryRemove(runId, out _))
            return false;
        await FinishAsync(runId, CheckRunStatus.Cancelled, $"cancelled by {by} before it started", CancellationToken.None);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResumeUnfinishedAsync(stoppingToken);
        var schedule = _options.ScheduleInterval is { } interval ? RunScheduleAsync(interval, stoppingToken) : Task.CompletedTask;
        try
        {
            await foreach (long runId in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (!_queued.TryRemove(runId, out _))
                    continue; // cancelled while queued
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _executing[runId] = (cancel, done.Task);
                try
                {
                    await ExecuteRunAsync(runId, cancel.Token, stoppingToken);
                }
                finally
                {
                    _executing.TryRemove(runId, out _);
                    done.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a running run stays "running" in the store and continues after the restart.
        }
        await schedule;
    }

    private async Task ExecuteRunAsync(long runId, CancellationToken cancellation, CancellationToken stopping)
    {
        var master = Master;
        if (master is null || master.State != NodeState.Running)
        {
            await FinishAsync(runId, CheckRunStatus.Failed, "no running master is hosted in this process", stopping);
            return;
        }
        try
        {
            var run = await _runner.RunAsync(runId, master, cancellation);
            await FinishAsync(runId, CheckRunStatus.Completed, await OutcomeAsync(run, stopping), stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(runId, CheckRunStatus.Cancelled, "cancelled", stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong fails this run, never the host: the dashboard and the nodes keep serving.
            _logger.LogError(e, "Consistency check {RunId} failed.", runId);
            await FinishAsync(runId, CheckRunStatus.Failed, e.Message, stopping);
        }
    }

    private async Task<string> OutcomeAsync(CheckRunRecord run, CancellationToken cancellation)
    {
        if (run.DifferingKeys == 0)
            return $"clean: {run.KeysCompared} keys compared on {run.Nodes}";
        await using var db = await _store.CreateDbContextAsync(cancellation);
        var perNode = await db.CheckFindings.Where(f => f.RunId == run.Id).GroupBy(f => f.NodeId)
            .Select(g => new { Node = g.Key, Count = g.Count() }).OrderBy(g => g.Node).ToListAsync(cancellation);
        return $"{run.DifferingKeys} keys differ ({string.Join(", ", perNode.Select(p => $"{p.Node}: {p.Count}"))}) in {run.DifferingChunks} chunks; {run.KeysCompared} keys compared";
    }

    private async Task FinishAsync(long runId, string status, string outcome, CancellationToken cancellation)
    {
        CheckRunRecord? run;
        await using (var db = await _store.CreateDbContextAsync(cancellation))
        {
            run = await db.CheckRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellation);
            if (run is null)
                return;
            run.Status = status;
            run.Outcome = Limit(outcome, 2048);
            run.EndedUtc = _time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellation);
        }
        Publish(run.MasterId, $"check-{status}", $"Consistency check {runId} {status}: {run.Outcome}.");
        OnProgress(CheckRunner.ProgressOf(run, "done", 0));
    }

    private async Task ResumeUnfinishedAsync(CancellationToken cancellation)
    {
        List<CheckRunRecord> unfinished;
        await using (var db = await _store.CreateDbContextAsync(cancellation))
            unfinished = await db.CheckRuns.AsNoTracking().Where(r => r.Status == CheckRunStatus.Running).OrderBy(r => r.Id).ToListAsync(cancellation);
        foreach (var run in unfinished)
        {
            Publish(run.MasterId, "check-resumed", $"Consistency check {run.Id} continues after a restart from bucket {run.NextBucket} ({run.BucketsDone} of {run.BucketsTotal} buckets done).");
            _progress[run.Id] = CheckRunner.ProgressOf(run, "queued", 0);
            _queued[run.Id] = true;
            _queue.Writer.TryWrite(run.Id);
        }
    }

    private async Task RunScheduleAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (!_queued.IsEmpty || !_executing.IsEmpty || Master is not { State: NodeState.Running } master)
                    continue; // one check at a time; a scheduled one is skipped rather than queued behind another
                await EnqueueAsync(master, SlavesOf(master.Id), CheckScope.Everything, "schedule", null, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void OnProgress(CheckProgress progress)
    {
        _progress[progress.RunId] = progress;
        Progressed?.Invoke(progress);
    }

    internal void Publish(string nodeId, string kind, string message) =>
        _events.Publish(new EngineEvent(_time.GetUtcNow(), nodeId, kind, message));

    private static string Limit(string text, int length) => text.Length <= length ? text : text[..length];
}
