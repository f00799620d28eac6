using Microsoft.Data.Sqlite;

namespace ReplDash.Web.Events;

/// <summary>Where the dashboard's EF Core database lives: <c>&lt;ReplDash:DataDir&gt;/dashboard.db</c>.</summary>
public static class DashboardStorePaths
{
    /// <summary>Configuration key of the data folder shared with the engine's nodes.</summary>
    public const string DataDirKey = "ReplDash:DataDir";

    /// <summary>Data folder when configuration names none; relative to the content root.</summary>
    public const string DefaultDataDir = "data";

    /// <summary>File name of the dashboard database inside the data folder.</summary>
    public const string DatabaseFileName = "dashboard.db";

    /// <summary>Absolute path of the data folder (a relative setting is taken from the content root).</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[DataDirKey];
        var dataDir = string.IsNullOrWhiteSpace(configured) ? DefaultDataDir : configured;
        return Path.GetFullPath(Path.Combine(environment.ContentRootPath, dataDir));
    }

    /// <summary>Absolute path of the dashboard database file.</summary>
    public static string DatabaseFile(IConfiguration configuration, IHostEnvironment environment) =>
        Path.Combine(DataDirectory(configuration, environment), DatabaseFileName);

    /// <summary>SQLite connection string for the dashboard database.</summary>
    public static string ConnectionString(IConfiguration configuration, IHostEnvironment environment) =>
        new SqliteConnectionStringBuilder { DataSource = DatabaseFile(configuration, environment) }.ToString();
}
