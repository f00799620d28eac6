using Microsoft.EntityFrameworkCore;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Store;

namespace ReplDash.Web.Events;

/// <summary>
/// Applies the store's migrations when the host starts. Registered before the engine's hosted services,
/// and hosted services start in registration order, so the tables exist before any node publishes.
/// </summary>
public sealed partial class DashboardStoreMigrator : IHostedService
{
    private readonly IDbContextFactory<DashboardDbContext> _contextFactory;
    private readonly IEngineEventSink _events;
    private readonly IConfiguration _configuration;
    private readonly IHostEnvironment _environment;
    private readonly ILogger<DashboardStoreMigrator> _logger;

    /// <summary>Creates the migrator.</summary>
    public DashboardStoreMigrator(
        IDbContextFactory<DashboardDbContext> contextFactory,
        IEngineEventSink events,
        IConfiguration configuration,
        IHostEnvironment environment,
        ILogger<DashboardStoreMigrator> logger)
    {
        _contextFactory = contextFactory;
        _events = events;
        _configuration = configuration;
        _environment = environment;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var databaseFile = DashboardStorePaths.DatabaseFile(_configuration, _environment);
        Directory.CreateDirectory(Path.GetDirectoryName(databaseFile)!);

        await using (var context = await _contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await context.Database.MigrateAsync(cancellationToken);
            // The metric sampler writes every second while pages read events and history: in WAL mode readers
            // and the writer do not wait for each other (the setting is stored in the file, so once is enough).
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        LogStoreReady(databaseFile);
        _events.Publish(new EngineEvent(DateTimeOffset.UtcNow, DashboardEvents.DashboardNodeId, DashboardEvents.DashboardStartKind,
            $"Dashboard started ({_environment.EnvironmentName}); store {DashboardStorePaths.DatabaseFileName} migrated."));
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard store ready at {DatabaseFile}")]
    private partial void LogStoreReady(string databaseFile);
}
