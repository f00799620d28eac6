namespace ReplDash.Web.Components.Layout;

/// <summary>The theme remembered in the cookie when the page was requested; null when the operator never chose.</summary>
/// <param name="Dark">True dark, false light, null follow the browser's preference.</param>
public sealed record ThemeChoice(bool? Dark);
