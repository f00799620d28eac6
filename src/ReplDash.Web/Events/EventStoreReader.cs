using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Events;

/// <summary>Which stored events to read; null fields match everything.</summary>
/// <param name="NodeId">Only this node's events.</param>
/// <param name="Kind">Only events of this kind.</param>
/// <param name="From">Only events at or after this time.</param>
/// <param name="To">Only events before this time (exclusive, so that consecutive ranges never share an event).</param>
public sealed record EventFilter(string? NodeId, string? Kind, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>One page of events, newest first, and how many match the filter in all.</summary>
public sealed record EventPage(IReadOnlyList<EventRecord> Items, int TotalCount);

/// <summary>Read model over stored events for the Events page, <c>/api/events</c> and <c>/api/events.csv</c>.</summary>
public sealed class EventStoreReader
{
    /// <summary>Most events one read returns, whatever the caller asks.</summary>
    public const int MaxTake = 1000;

    private readonly IDbContextFactory<DashboardDbContext> _contextFactory;

    /// <summary>Creates the reader.</summary>
    public EventStoreReader(IDbContextFactory<DashboardDbContext> contextFactory) => _contextFactory = contextFactory;

    /// <summary>Events matching <paramref name="filter"/>, newest first (oldest first with <paramref name="oldestFirst"/>), skipping <paramref name="skip"/>.</summary>
    public async Task<EventPage> ReadPageAsync(EventFilter filter, int skip, int take, CancellationToken cancellationToken = default, bool oldestFirst = false)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        // The count and the page come from one snapshot: the event writer inserts meanwhile, and two separate
        // reads could count an event the page does not hold. Deferred, so the read takes no write lock.
        await context.Database.OpenConnectionAsync(cancellationToken);
        await using var snapshot = ((SqliteConnection)context.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await context.Database.UseTransactionAsync(snapshot, cancellationToken);
        var query = Filtered(context.Events.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var ordered = oldestFirst
            ? query.OrderBy(e => e.TimeUtc).ThenBy(e => e.Id)
            : query.OrderByDescending(e => e.TimeUtc).ThenByDescending(e => e.Id);
        var items = await ordered
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);
        return new EventPage(items, total);
    }

    /// <summary>
    /// Every event matching <paramref name="filter"/>, newest first, read row by row from the database (for
    /// exports: memory stays flat however many rows match).
    /// </summary>
    public async IAsyncEnumerable<EventRecord> StreamAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = Filtered(context.Events.AsNoTracking(), filter)
            .OrderByDescending(e => e.TimeUtc)
            .ThenByDescending(e => e.Id)
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var row in rows)
        {
            yield return row;
        }
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

        // Times are stored as UTC DateTime, whose SQLite text form sorts in time order.
        if (filter.From is { } from)
        {
            var fromUtc = from.UtcDateTime;
            query = query.Where(e => e.TimeUtc >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = to.UtcDateTime;
            query = query.Where(e => e.TimeUtc < toUtc);
        }

        return query;
    }
}
