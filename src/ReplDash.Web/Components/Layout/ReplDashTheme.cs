using MudBlazor;

namespace ReplDash.Web.Components.Layout;

/// <summary>
/// The dashboard's light and dark palettes. Health colours (green, amber, red) come from wwwroot/css/app.css
/// and are tuned per theme there; these set the surfaces, text and the primary colour.
/// </summary>
public static class ReplDashTheme
{
    /// <summary>The theme given to MudThemeProvider.</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00838f",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            Surface = "#ffffff",
            Success = "#2e7d32",
            Warning = "#ef8f00",
            Error = "#d32f2f",
            Info = "#0277bd",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4dd0e1",
            AppbarBackground = "#1a1d2e",
            Background = "#12141c",
            Surface = "#1c1f2b",
            DrawerBackground = "#171a25",
            Success = "#66bb6a",
            Warning = "#ffb74d",
            Error = "#ef5350",
            Info = "#4fc3f7",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}
