namespace ReplDash.Testing;

/// <summary>Finds the repository and the built app from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding ReplDash.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever the tests were built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>The ReplDash.Web executable (apphost) built alongside the tests.</summary>
    public static string AppExecutable =>
        Path.Combine(Root, "src", "ReplDash.Web", "bin", Configuration, "net10.0", "ReplDash.Web");

    /// <summary>A new empty folder under the system temp folder, for one test's data.</summary>
    public static string NewTempDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "repldash-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReplDash.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"ReplDash.sln not found above {AppContext.BaseDirectory}");
    }
}
