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
        var started = time.GetTimestamp();
        long keysAtStart = run.KeysCompared;
        int bucketsAtStart = run.BucketsDone;
        int chunkBuckets = options.InitialChunkBuckets;
        try
        {
            while (scope.FirstAtOrAfter(run.NextBucket) is int next && next < KeyBuckets.Count)
            {
                cancellation.ThrowIfCancellationRequested();
                await WaitWhileSlavesLagAsync(run, master, slaves, cancellation);
                var (from, to) = scope.ChunkAt(next, chunkBuckets);

                var marker = new CheckMarker(checkId, run.MarkersIssued++, CheckMarkerKind.Digest, from, to);
                var (end, own, digestUs) = master.AppendCheckMarker(marker);
                run.FirstMarkerPosition ??= end.ToString();
                run.LastMarkerPosition = end.ToString();
                chunkBuckets = ChunkSizer.Next(to - from, digestUs, options.ChunkTargetMs * 1000L, options.MaxChunkBuckets);
                Report(run, "waiting", started, keysAtStart, bucketsAtStart);
                var answers = await AnswersAsync(master, marker, slaves, cancellation);
                if (answers is null)
                    continue; // a slave did not answer in time: the chunk is checked again with a new marker

                var findings = new List<CheckFindingRecord>();
                var differing = slaves.Where(s => !answers[s].SameAs(own)).ToArray();
                if (differing.Length > 0)
                {
                    var keysMarker = marker with { Chunk = run.MarkersIssued++, Kind = CheckMarkerKind.Keys };
                    var (keysEnd, ownKeys, _) = master.AppendCheckMarker(keysMarker);
                    run.LastMarkerPosition = keysEnd.ToString();
                    var keyAnswers = await AnswersAsync(master, keysMarker, differing, cancellation);
                    if (keyAnswers is null)
                        continue;
                    foreach (var slave in differing)
                        findings.AddRange(ChunkComparer.Compare(ownKeys.Keys, keyAnswers[slave].Keys).Select(d => Finding(run.Id, slave, d)));
                    // Differed at the digest marker; the keys marker, later in the stream, may find the difference gone.
                    if (findings.Count > 0)
                        run.DifferingChunks++;
                }

                run.NextBucket = to;
                run.BucketsDone = scope.CountBelow(to);
                run.ChunksDone++;
                run.KeysCompared += own.KeyCount;
                run.DifferingKeys += findings.Count;
                await SaveChunkAsync(run, findings, cancellation);
                Report(run, "checking", started, keysAtStart, bucketsAtStart);
            }
        }
        finally
        {
            master.CheckResults.ForgetCheck(checkId);
        }
        return run;
    }

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

    /// <summary>Pauses while a compared slave is not streaming or has more than MaxLagBytes not acknowledged.</summary>
    private async Task WaitWhileSlavesLagAsync(CheckRunRecord run, DataNode master, IReadOnlyList<string> slaves, CancellationToken cancellation)
    {
        bool reported = false;
        while (LaggingSlave(master, slaves) is { } lagging)
        {
            if (!reported)
            {
                logger.LogInformation("Check run {RunId} paused: {Reason}.", run.Id, lagging);
                Progressed?.Invoke(ProgressOf(run, "paused", 0));
                reported = true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellation);
        }
    }

    /// <summary>Why the check must wait for a slave, or null when none lags.</summary>
    private string? LaggingSlave(DataNode master, IReadOnlyList<string> slaves)
    {
        var durable = master.Positions().Durable;
        foreach (var slave in slaves)
        {
            var link = master.SlaveLinks.FirstOrDefault(l => l.SlaveId == slave);
            if (link is null || link.State != "streaming")
                return $"slave {slave} is not streaming";
            BinlogPosition acked;
            lock (link)
                acked = link.AckedEnd;
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
