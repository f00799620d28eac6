using ReplDash.Web.Cluster;

namespace ReplDash.Web.Metrics;

/// <summary>
/// Once a second: turns the notifier's latest snapshot into samples, keeps them in <see cref="MetricHistory"/>
/// and the store; once a minute: rolls seconds up into minutes and prunes. Registered after the store
/// migrator, so the table exists when it starts.
/// </summary>
public sealed partial class MetricSampler : BackgroundService
{
    /// <summary>Time between two samples.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private readonly ClusterNotifier _notifier;
    private readonly MetricHistory _history;
    private readonly MetricHistoryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MetricSampler> _logger;
    private readonly MetricSampleFactory _factory = new();

    /// <summary>Creates the sampler.</summary>
    public MetricSampler(ClusterNotifier notifier, MetricHistory history, MetricHistoryStore store, TimeProvider timeProvider,
        ILogger<MetricSampler> logger)
    {
        _notifier = notifier;
        _history = history;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SeedAsync(stoppingToken);
        var lastRollUpMinute = long.MinValue;
        using var timer = new PeriodicTimer(SampleInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var snapshot = _notifier.Latest;
                var samples = _factory.Build(snapshot);
                _history.Append(samples);
                var minute = MetricDownsampler.MinuteStart(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
                try
                {
                    await _store.AppendAsync(samples, stoppingToken);
                    if (minute != lastRollUpMinute)
                    {
                        await _store.RollUpAndPruneAsync(_timeProvider.GetUtcNow(), stoppingToken);
                        lastRollUpMinute = minute;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // History is operator information: a failed write costs a gap in a chart, never the sampler.
                    LogStoreFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    // The last five minutes from the store: after a restart the charts start where they stopped.
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var since = _timeProvider.GetUtcNow() - TimeSpan.FromSeconds(MetricHistory.SamplesPerNode);
            _history.Append(await _store.ReadAsync(MetricHistoryStore.SecondResolutionSeconds, since, cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStoreFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metric history could not be read or written")]
    private partial void LogStoreFailed(Exception ex);
}
