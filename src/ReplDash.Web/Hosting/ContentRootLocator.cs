namespace ReplDash.Web.Hosting;

/// <summary>
/// Finds the folder that holds <c>appsettings.json</c> and <c>wwwroot/</c>: the repository root, which
/// is above the build output, not the working directory.
/// </summary>
public static class ContentRootLocator
{
    /// <summary>Environment variable that names the content root explicitly (published builds).</summary>
    public const string OverrideVariable = "REPLDASH_CONTENT_ROOT";

    /// <summary>The solution file that marks the repository root.</summary>
    public const string MarkerFileName = "ReplDash.sln";

    /// <summary>
    /// The override when set, else the nearest folder at or above <see cref="AppContext.BaseDirectory"/>
    /// holding <see cref="MarkerFileName"/>, else the base directory itself (a published build that
    /// carries its own appsettings.json and wwwroot/).
    /// </summary>
    public static string Find()
    {
        var overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return Path.GetFullPath(overridePath);
        }

        return FindMarkerAbove(AppContext.BaseDirectory) ?? AppContext.BaseDirectory;
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding the marker file, or null.</summary>
    public static string? FindMarkerAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, MarkerFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
