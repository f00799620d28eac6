using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Api;

/// <summary>One stored event in <c>GET /api/events</c>.</summary>
public sealed record EventDto(long Id, DateTimeOffset TimeUtc, string NodeId, string Kind, string Message)
{
    /// <summary>Maps a stored row; SQLite hands times back unspecified, they were stored as UTC.</summary>
    public static EventDto From(EventRecord record) => new(
        record.Id,
        new DateTimeOffset(DateTime.SpecifyKind(record.TimeUtc, DateTimeKind.Utc)),
        record.NodeId,
        record.Kind,
        record.Message);
}

/// <summary>Body of <c>GET /api/events</c>: newest first, and how many match the filter in all.</summary>
public sealed record EventsResponse(IReadOnlyList<EventDto> Events, int TotalCount);
