using Microsoft.EntityFrameworkCore;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Metrics;

/// <summary>
/// Metric history in the dashboard store: per-second samples for an hour, per-minute samples (rolled up from
/// the seconds) for a day, nothing older. Never on a page's render path: pages read <see cref="MetricHistory"/>.
/// </summary>
public sealed class MetricHistoryStore
{
    /// <summary>Seconds per second sample.</summary>
    public const int SecondResolutionSeconds = 1;

    /// <summary>How long per-second samples are kept.</summary>
    public static readonly TimeSpan SecondRetention = TimeSpan.FromHours(1);

    /// <summary>How long per-minute samples are kept.</summary>
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromDays(1);

    private readonly IDbContextFactory<DashboardDbContext> _contextFactory;

    /// <summary>Creates the store over the dashboard database.</summary>
    public MetricHistoryStore(IDbContextFactory<DashboardDbContext> contextFactory) => _contextFactory = contextFactory;

    /// <summary>Stores samples in one transaction.</summary>
    public async Task AppendAsync(IReadOnlyCollection<MetricSampleRecord> samples, CancellationToken cancellationToken = default)
    {
        if (samples.Count == 0)
        {
            return;
        }

        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        context.MetricSamples.AddRange(samples);
        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Rolls every complete minute before <paramref name="now"/> that has second samples and no minute sample yet
    /// into one minute sample per node, then deletes samples past their retention. Safe to call at any interval:
    /// a minute is rolled up once, and a restart picks up where the last roll-up stopped.
    /// </summary>
    /// <returns>Minute samples written.</returns>
    public async Task<int> RollUpAndPruneAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var currentMinute = MetricDownsampler.MinuteStart(nowMs);
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);

        var lastRolled = await context.MetricSamples
            .Where(s => s.ResolutionSeconds == MetricDownsampler.MinuteResolutionSeconds)
            .MaxAsync(s => (long?)s.TimeUnixMs, cancellationToken);
        var from = lastRolled is { } last ? last + 60_000 : long.MinValue;

        var seconds = await context.MetricSamples.AsNoTracking()
            .Where(s => s.ResolutionSeconds == SecondResolutionSeconds && s.TimeUnixMs >= from && s.TimeUnixMs < currentMinute)
            .ToListAsync(cancellationToken);
        var minutes = seconds
            .GroupBy(s => (s.NodeId, Minute: MetricDownsampler.MinuteStart(s.TimeUnixMs)))
            .Select(g => MetricDownsampler.ToMinute(g.ToList()))
            .ToList();
        context.MetricSamples.AddRange(minutes);
        await context.SaveChangesAsync(cancellationToken);

        var secondCutoff = nowMs - (long)SecondRetention.TotalMilliseconds;
        var minuteCutoff = nowMs - (long)MinuteRetention.TotalMilliseconds;
        // One DELETE statement (ExecuteDelete), not a load and a delete per row.
        await context.MetricSamples
            .Where(s => (s.ResolutionSeconds == SecondResolutionSeconds && s.TimeUnixMs < secondCutoff)
                || (s.ResolutionSeconds == MetricDownsampler.MinuteResolutionSeconds && s.TimeUnixMs < minuteCutoff))
            .ExecuteDeleteAsync(cancellationToken);
        return minutes.Count;
    }

    /// <summary>Samples of one resolution from <paramref name="since"/> on, oldest first (every node when <paramref name="nodeId"/> is null).</summary>
    public async Task<IReadOnlyList<MetricSampleRecord>> ReadAsync(int resolutionSeconds, DateTimeOffset since, string? nodeId = null,
        CancellationToken cancellationToken = default)
    {
        var sinceMs = since.ToUnixTimeMilliseconds();
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var query = context.MetricSamples.AsNoTracking()
            .Where(s => s.ResolutionSeconds == resolutionSeconds && s.TimeUnixMs >= sinceMs);
        if (nodeId is not null)
        {
            query = query.Where(s => s.NodeId == nodeId);
        }

        return await query.OrderBy(s => s.TimeUnixMs).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }
}
