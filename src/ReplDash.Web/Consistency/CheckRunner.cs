using System.Text;
using Microsoft.EntityFrameworkCore;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Node;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Consistency;

namespace ReplDash.Web.Consistency;

/// <summary>
/// Runs one check run against the master hosted here (docs/CONSISTENCY.md, "How a run proceeds"): chunk by chunk, a
/// digest marker through the binlog, every compared slave's answer, and for a chunk that differs a keys marker that
/// narrows it to the keys. After each chunk the run's progress and that chunk's findings are saved together, so a
/// restart continues from the last finished chunk.
/// </summary>
public sealed class CheckRunner(IDbContextFactory<DashboardDbContext> store, ConsistencyOptions options, TimeProvider time, ILogger logger)
{
    // A marker's check id: the run and this process's incarnation, so that an answer to a marker written before a
    // restart can never be taken for the answer to a later marker of the same number.
    private readonly string _incarnation = Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// How often a run saves its progress and findings (and at its last chunk). A save is a store transaction with its
    /// fsync, tens of ms on a busy disk: once per chunk it cost more than the checking. A restart repeats at most this
    /// much of the run.
    /// </summary>
    public static readonly TimeSpan ProgressSaveInterval = TimeSpan.FromSeconds(1);

    /// <summary>Called after each chunk and when the phase changes.</summary>
    public event Action<CheckProgress>? Progressed;

    /// <summary>Runs <paramref name="runId"/> to its end (or until cancelled: the caller then records the outcome).</summary>
    public async Task<CheckRunRecord> RunAsync(long runId, DataNode master, CancellationToken cancellation)
    {
        CheckRunRecord run;
        await using (var db = await store.CreateDbContextAsync(cancellation))
            run = await db.CheckRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellation);
        var scope = CheckScope.Parse(run.BucketRanges);
        var slaves = run.Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries);
        string checkId = $"{run.Id}.{_incarnation}";
        var timings = new CheckRunTimings(time);
        var started = time.GetTimestamp();
        long keysAtStart = run.KeysCompared;
        int bucketsAtStart = run.BucketsDone;
        int chunkBuckets = options.InitialChunkBuckets;
        // Digest markers written and not yet finished, oldest first. Slaves answer in stream order, so the oldest is
        // the next to complete; progress is saved in that order, so NextBucket always ends a run of finished chunks.
        var inFlight = new Queue<ChunkInFlight>();
        int issueFrom = run.NextBucket;
        // Finished chunks not saved yet: progress and findings are saved together at most every ProgressSaveInterval.
        var unsaved = new List<CheckFindingRecord>();
        long lastSave = time.GetTimestamp();
        var yielding = new WriteYield(options.BusySharePercent);
        long lastFinished = time.GetTimestamp();
        try
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                while (inFlight.Count < yielding.InFlightLimit(options.ChunksInFlight) && scope.FirstAtOrAfter(issueFrom) is var next && next < KeyBuckets.Count)
                {
                    if (LaggingSlave(master, slaves) is { } lagging)
                    {
                        if (inFlight.Count > 0)
                            break; // no new marker while a slave lags; the ones in flight still finish
                        await PauseWhileSlavesLagAsync(run, master, slaves, lagging, timings, cancellation);
                        continue;
                    }
                    if (yielding.Rest > TimeSpan.Zero)
                    {
                        long resting = timings.Now();
                        await Task.Delay(yielding.Rest, time, cancellation);
                        timings.Yielded(resting);
                        yielding.Rested();
                    }
                    var (from, to) = scope.ChunkAt(next, chunkBuckets);
                    var marker = new CheckMarker(checkId, run.MarkersIssued++, CheckMarkerKind.Digest, from, to);
                    long issued = time.GetTimestamp();
                    var (end, own, lockedUs) = master.AppendCheckMarker(marker);
                    timings.Locked(lockedUs);
                    yielding.MarkerWritten(end);
                    run.FirstMarkerPosition ??= end.ToString();
                    run.LastMarkerPosition = end.ToString();
                    chunkBuckets = ChunkSizer.Next(to - from, lockedUs, options.ChunkTargetMs * 1000L, options.MaxChunkBuckets);
                    inFlight.Enqueue(new ChunkInFlight(marker, own, issued));
                    issueFrom = to;
                }
                if (!inFlight.TryDequeue(out var chunk))
                    break;

                Report(run, "waiting", started, keysAtStart, bucketsAtStart);
                var (keys, findings) = await FinishChunkAsync(run, master, chunk, slaves, timings, yielding, cancellation);
                if (findings is null)
                {
                    // A slave did not answer in time: this chunk and every later one in flight are written again.
                    foreach (var dropped in inFlight)
                        master.CheckResults.Forget(dropped.Marker.CheckId, dropped.Marker.Chunk);
                    inFlight.Clear();
                    issueFrom = chunk.Marker.BucketFrom;
                    continue;
                }

                // The chunk's share of the run's time: from its marker, or from the previous chunk's end when they overlapped.
                yielding.ChunkFinished(master.Positions(), time.GetElapsedTime(Math.Max(chunk.Issued, lastFinished)));
                lastFinished = time.GetTimestamp();
                run.NextBucket = chunk.Marker.BucketTo;
                run.BucketsDone = scope.CountBelow(chunk.Marker.BucketTo);
                run.ChunksDone++;
                run.KeysCompared += keys;
                run.DifferingKeys += findings.Count;
                unsaved.AddRange(findings);
                if (time.GetElapsedTime(lastSave) >= ProgressSaveInterval || scope.FirstAtOrAfter(run.NextBucket) >= KeyBuckets.Count)
                {
                    long saving = timings.Now();
                    await SaveChunkAsync(run, unsaved, cancellation);
                    timings.Save(saving);
                    unsaved.Clear();
                    lastSave = time.GetTimestamp();
                }
                Report(run, "checking", started, keysAtStart, bucketsAtStart);
            }
        }
        finally
        {
            master.CheckResults.ForgetCheck(checkId);
            logger.LogInformation("Check run {RunId}: {Chunks} chunks, {Keys} keys in {Seconds:F2} s; master lock {LockedMs:F1} ms in all " +
                "(longest {LongestLockMs:F1} ms), waiting for slaves {AnswersMs:F0} ms, for own digests {OwnMs:F0} ms, drill-down {DrillDownMs:F0} ms, " +
                "saving {SaveMs:F0} ms, paused {PausedMs:F0} ms, giving way to writes {YieldedMs:F0} ms.",
                run.Id, run.ChunksDone, run.KeysCompared - keysAtStart, timings.TotalSeconds, timings.LockedUs / 1000.0, timings.LongestLockUs / 1000.0,
                timings.AnswersMs, timings.OwnMs, timings.DrillDownMs, timings.SaveMs, timings.PausedMs, timings.YieldedMs);
        }
        return run;
    }

    /// <summary>A digest marker written and not yet finished, with the master's own result (hashed outside its lock).</summary>
    private sealed record ChunkInFlight(CheckMarker Marker, Task<ChunkResult> Own, long Issued);

    /// <summary>
    /// Waits for every slave's answer to <paramref name="chunk"/> and compares; a chunk that differs is narrowed to its
    /// keys with a keys marker. Returns the keys compared and the findings, or null findings when an answer timed out.
    /// </summary>
    private async Task<(long Keys, List<CheckFindingRecord>? Findings)> FinishChunkAsync(CheckRunRecord run, DataNode master, ChunkInFlight chunk,
        IReadOnlyList<string> slaves, CheckRunTimings timings, WriteYield yielding, CancellationToken cancellation)
    {
        long waiting = timings.Now();
        var answers = await AnswersAsync(master, chunk.Marker, slaves, cancellation);
        timings.Answers(waiting);
        waiting = timings.Now();
        var own = OrThrow(await chunk.Own);
        timings.Own(waiting);
        if (answers is null)
            return (0, null);

        var findings = new List<CheckFindingRecord>();
        var differing = slaves.Where(s => !answers[s].SameAs(own)).ToArray();
        if (differing.Length == 0)
            return (own.KeyCount, findings);

        long drilling = timings.Now();
        var keysMarker = chunk.Marker with { Chunk = run.MarkersIssued++, Kind = CheckMarkerKind.Keys };
        var (keysEnd, ownKeysTask, lockedUs) = master.AppendCheckMarker(keysMarker);
        timings.Locked(lockedUs);
        yielding.MarkerWritten(keysEnd);
        run.LastMarkerPosition = keysEnd.ToString();
        var keyAnswers = await AnswersAsync(master, keysMarker, differing, cancellation);
        var ownKeys = OrThrow(await ownKeysTask);
        timings.DrillDown(drilling);
        if (keyAnswers is null)
            return (0, null);
        foreach (var slave in differing)
            findings.AddRange(ChunkComparer.Compare(ownKeys.Keys, keyAnswers[slave].Keys).Select(d => Finding(run.Id, slave, d)));
        // Differed at the digest marker; the keys marker, later in the stream, may find the difference gone.
        if (findings.Count > 0)
            run.DifferingChunks++;
        return (own.KeyCount, findings);
    }

    private static ChunkResult OrThrow(ChunkResult result) =>
        result.Error is null ? result : throw new InvalidOperationException($"node {result.NodeId} could not compute a check chunk: {result.Error}");

    /// <summary>The answers of every slave in <paramref name="slaves"/> to <paramref name="marker"/>, or null after the result timeout.</summary>
    private async Task<Dictionary<string, ChunkResult>?> AnswersAsync(DataNode master, CheckMarker marker, IReadOnlyList<string> slaves,
        CancellationToken cancellation)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.ResultTimeoutMs);
        try
        {
            while (true)
            {
                // Take the signal before looking, so an answer landing in between is not missed.
                var changed = master.CheckResults.Changed;
                var got = master.CheckResults.For(marker.CheckId, marker.Chunk);
                if (got.Values.FirstOrDefault(r => r.Error is not null) is { } failed)
                    throw new InvalidOperationException($"node {failed.NodeId} could not compute a check chunk: {failed.Error}");
                if (slaves.All(got.ContainsKey))
                    return slaves.ToDictionary(s => s, s => got[s]);
                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    logger.LogWarning("Check {CheckId}: no answer to chunk {Chunk} from {Missing} within {TimeoutMs} ms; writing the marker again.",
                        marker.CheckId, marker.Chunk, string.Join(", ", slaves.Where(s => !got.ContainsKey(s))), options.ResultTimeoutMs);
                    return null;
                }
                try
                {
                    await changed.WaitAsync(left, time, cancellation);
                }
                catch (TimeoutException)
                {
                    // Looked at once more above, then given up.
                }
            }
        }
        finally
        {
            master.CheckResults.Forget(marker.CheckId, marker.Chunk);
        }
    }

    /// <summary>Pauses while the master waits for its slaves after a restart, or a compared slave is not streaming or has more than MaxLagBytes not acknowledged.</summary>
    private async Task PauseWhileSlavesLagAsync(CheckRunRecord run, DataNode master, IReadOnlyList<string> slaves, string reason,
        CheckRunTimings timings, CancellationToken cancellation)
    {
        long paused = timings.Now();
        logger.LogInformation("Check run {RunId} paused: {Reason}.", run.Id, reason);
        Progressed?.Invoke(ProgressOf(run, "paused", 0));
        while (LaggingSlave(master, slaves) is not null)
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellation);
        timings.Paused(paused);
    }

    /// <summary>Why the check must wait for a slave, or null when none lags.</summary>
    private string? LaggingSlave(DataNode master, IReadOnlyList<string> slaves)
    {
        // A restarted master logs nothing (no marker either) until its slaves have reported (lesson L5, the heal wait).
        if (master.AwaitingSlaves)
            return $"master {master.Id} waits for its slaves after a restart";
        var durable = master.Positions().Durable;
        foreach (var slave in slaves)
        {
            var link = master.SlaveLinks.FirstOrDefault(l => l.SlaveId == slave);
            if (link is null || link.State != "streaming")
                return $"slave {slave} is not streaming";
            var acked = link.AckedEnd;
            if (acked == default)
                continue; // nothing acknowledged yet in this session: the markers' answers pace the check meanwhile
            long lag = acked.FileNumber == durable.FileNumber ? durable.Offset - acked.Offset : LagAcrossSegments(master, acked);
            if (lag > options.MaxLagBytes)
                return $"slave {slave} lags {lag} bytes (limit {options.MaxLagBytes})";
        }
        return null;
    }

    /// <summary>Bytes between a slave's ack in an older segment and the master's end; 0 when that segment is gone (purged).</summary>
    private static long LagAcrossSegments(DataNode master, BinlogPosition acked)
    {
        try
        {
            return Math.Max(0, master.Positions().EndLogical - master.LogicalOffsetOf(acked));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private async Task SaveChunkAsync(CheckRunRecord run, List<CheckFindingRecord> findings, CancellationToken cancellation)
    {
        await using var db = await store.CreateDbContextAsync(cancellation);
        db.CheckRuns.Attach(run);
        db.Entry(run).State = EntityState.Modified;
        db.CheckFindings.AddRange(findings);
        // Progress and the chunk's findings in one transaction: a restart never counts a chunk without its findings.
        await db.SaveChangesAsync(cancellation);
    }

    private void Report(CheckRunRecord run, string phase, long started, long keysAtStart, int bucketsAtStart)
    {
        double seconds = Math.Max(time.GetElapsedTime(started).TotalSeconds, 0.001);
        double bucketRate = (run.BucketsDone - bucketsAtStart) / seconds;
        Progressed?.Invoke(ProgressOf(run, phase, (run.KeysCompared - keysAtStart) / seconds) with
        {
            EtaSeconds = bucketRate > 0 ? (run.BucketsTotal - run.BucketsDone) / bucketRate : null,
        });
    }

    /// <summary>A run's progress as stored (no rate).</summary>
    public static CheckProgress ProgressOf(CheckRunRecord run, string phase, double keysPerSecond) =>
        new(run.Id, run.Status, phase, run.ChunksDone, run.BucketsDone, run.BucketsTotal, run.KeysCompared, keysPerSecond, run.DifferingKeys, null);

    private static CheckFindingRecord Finding(long runId, string slave, KeyDifference difference) => new()
    {
        RunId = runId,
        NodeId = slave,
        Key = Encoding.UTF8.GetString(difference.Key),
        KeyHex = Convert.ToHexStringLower(difference.Key),
        Database = difference.Database,
        Bucket = KeyBuckets.BucketOf(difference.Key),
        Difference = difference.Kind.ToString().Replace(" ", "", StringComparison.Ordinal),
        MasterType = difference.Master?.Type.ToString().ToLowerInvariant(),
        SlaveType = difference.Slave?.Type.ToString().ToLowerInvariant(),
        MasterValueDigest = difference.Master is { } m ? Convert.ToHexStringLower(m.ValueDigest) : null,
        SlaveValueDigest = difference.Slave is { } s ? Convert.ToHexStringLower(s.ValueDigest) : null,
        MasterExpireAtMs = difference.Master?.ExpireAtMs,
        SlaveExpireAtMs = difference.Slave?.ExpireAtMs,
    };
}
