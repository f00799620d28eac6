namespace ReplDash.Web.Tests.Browser;

/// <summary>
/// The browser test classes run one after the other, not in parallel: each drives a real app under
/// redis-benchmark plus a Chromium, and two of those at once on a two-core machine starve each other
/// (a 2-second deadline measures the dashboard, not the scheduler). Every class that starts a real app
/// and asserts a deadline or a rate joins it (the Semi-sync and Events pages, the hub's Node client).
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Browser";
}
