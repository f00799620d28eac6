namespace ReplDash.Web.Events;

/// <summary>Node id and kinds of the events the dashboard records about itself.</summary>
public static class DashboardEvents
{
    /// <summary>Stands in for a node id on the dashboard's own events.</summary>
    public const string DashboardNodeId = "dashboard";

    /// <summary>The dashboard process started and its store is migrated.</summary>
    public const string DashboardStartKind = "dashboard-start";

    /// <summary>The event queue was full and some events were not stored.</summary>
    public const string EventsDroppedKind = "events-dropped";
}
