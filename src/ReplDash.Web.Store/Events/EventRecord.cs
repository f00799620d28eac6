namespace ReplDash.Web.Store.Events;

/// <summary>One stored engine or dashboard event, as the Events page and <c>/api/events</c> show it.</summary>
public sealed class EventRecord
{
    /// <summary>Database key; grows with insertion order, so it also breaks ties between equal times.</summary>
    public long Id { get; set; }

    /// <summary>When it happened, in UTC.</summary>
    public DateTime TimeUtc { get; set; }

    /// <summary>Which node (or "dashboard" for the dashboard's own events).</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Short stable name: node-start, node-stop, dashboard-start...</summary>
    public string Kind { get; set; } = "";

    /// <summary>One human-readable sentence.</summary>
    public string Message { get; set; } = "";
}
