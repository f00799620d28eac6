namespace ReplDash.Engine.Node;

public sealed partial class DataNode
{
    private long _rateCommands;
    private DateTimeOffset _rateSince;
    private double _opsPerSecond;

    /// <summary>Commands per second over the last second or so.</summary>
    public double OpsPerSecond => Volatile.Read(ref _opsPerSecond);

    /// <summary>When the node was made, on its clock (for uptime).</summary>
    public DateTimeOffset StartedAt { get; }

    private void SampleRate()
    {
        var now = _time.GetUtcNow();
        if (_rateSince == default)
        {
            _rateSince = now;
            _rateCommands = CommandsProcessed;
            return;
        }
        var elapsed = now - _rateSince;
        if (elapsed < TimeSpan.FromSeconds(1))
            return;
        long commands = CommandsProcessed;
        Volatile.Write(ref _opsPerSecond, (commands - _rateCommands) / elapsed.TotalSeconds);
        _rateCommands = commands;
        _rateSince = now;
    }
}
