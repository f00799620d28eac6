namespace ReplDash.Web.Components.Layout;

/// <summary>The operator's theme choice and the cookie that remembers it.</summary>
public static class ThemeCookie
{
    /// <summary>Cookie name (written by <c>wwwroot/js/repldash.js</c> when the toggle is clicked).</summary>
    public const string Name = "ReplDashTheme";

    /// <summary>Cookie value of the light theme.</summary>
    public const string Light = "light";

    /// <summary>Cookie value of the dark theme.</summary>
    public const string Dark = "dark";

    /// <summary>
    /// The remembered choice: true dark, false light, null when the operator has not chosen (a first visit,
    /// or a value this version does not know), in which case the browser's preference decides.
    /// </summary>
    public static bool? IsDark(string? cookieValue) => cookieValue switch
    {
        Dark => true,
        Light => false,
        _ => null,
    };

    /// <summary>The cookie value for a choice.</summary>
    public static string ValueFor(bool dark) => dark ? Dark : Light;
}
