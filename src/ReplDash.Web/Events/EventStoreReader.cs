using Microsoft.EntityFrameworkCore;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Events;

/// <summary>Which stored events to read; null fields match everything.</summary>
/// <param name="NodeId">Only this node's events.</param>
/// <param name="Kind">Only events of this kind.</param>
public sealed record EventFilter(string? NodeId, string? Kind);

/// <summary>One page of events, newest first, and how many match the filter in all.</summary>
public sealed record EventPage(IReadOnlyList<EventRecord> Items, int TotalCount);

/// <summary>Read model over stored events for the Events page and <c>/api/events</c>.</summary>
public sealed class EventStoreReader
{
    /// <summary>Most events one read returns, whatever the caller asks.</summary>
    public const int MaxTake = 1000;

    private readonly IDbContextFactory<DashboardDbContext> _contextFactory;

    /// <summary>Creates the reader.</summary>
    public EventStoreReader(IDbContextFactory<DashboardDbContext> contextFactory) => _contextFactory = contextFactory;

    /// <summary>Events matching <paramref name="filter"/>, newest first, skipping <paramref name="skip"/>.</summary>
    public async Task<EventPage> ReadPageAsync(EventFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(context.Events.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(e => e.TimeUtc)
            .ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);
        return new EventPage(items, total);
    }

    /// <summary>Every node id that has stored events, sorted, for filter choices.</summary>
    public async Task<IReadOnlyList<string>> NodeIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Events.Select(e => e.NodeId).Distinct().OrderBy(id => id).ToListAsync(cancellationToken);
    }

    /// <summary>Every kind that has stored events, sorted, for filter choices.</summary>
    public async Task<IReadOnlyList<string>> KindsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Events.Select(e => e.Kind).Distinct().OrderBy(kind => kind).ToListAsync(cancellationToken);
    }

    private static IQueryable<EventRecord> Filtered(IQueryable<EventRecord> query, EventFilter filter)
    {
        if (!string.IsNullOrEmpty(filter.NodeId))
        {
            query = query.Where(e => e.NodeId == filter.NodeId);
        }

        if (!string.IsNullOrEmpty(filter.Kind))
        {
            query = query.Where(e => e.Kind == filter.Kind);
        }

        return query;
    }
}
