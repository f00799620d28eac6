namespace ReplDash.Web.Components.Layout;

/// <summary>The light and dark themes and the cookie that remembers the operator's choice.</summary>
public static class ThemeCookie
{
    /// <summary>Cookie name (Radzen's CookieThemeService writes it when the toggle is clicked).</summary>
    public const string Name = "ReplDashTheme";

    /// <summary>The default (light) Radzen theme.</summary>
    public const string Light = "material";

    /// <summary>The dark Radzen theme.</summary>
    public const string Dark = "material-dark";

    /// <summary>The theme to render with for a cookie value: only the two known themes are accepted.</summary>
    public static string ThemeFor(string? cookieValue) => cookieValue == Dark ? Dark : Light;
}
