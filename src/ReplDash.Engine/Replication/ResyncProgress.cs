using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Replication;

/// <summary>
/// The running or last full resync of one slave, as the slave sees it (docs/REPLICATION.md, "Full resync"):
/// requested, receiving, loading, catching-up, then completed or failed. <see cref="ReplicationClient"/> and
/// the snapshot loader update it through the <see cref="ResyncAttempt"/> they were given; readers get an
/// immutable <see cref="ResyncProgressView"/>. Only the newest attempt can change it: an operator's new request
/// supersedes a running one, and the old attempt's late updates (its cancellation, say) are ignored.
/// </summary>
public sealed class ResyncProgress(TimeProvider time)
{
    /// <summary>Phase names, as the status and the API report them.</summary>
    public const string Requested = "requested", Receiving = "receiving", Loading = "loading", CatchingUp = "catching-up",
        Completed = "completed", Failed = "failed";

    private readonly object _gate = new();
    private int _attempt;
    private string? _phase;
    private string _trigger = "";
    private long _keysTotal, _keysReceived, _bytesReceived;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _finishedAt;
    private string? _outcome;
    private List<ResyncPhaseTime> _phases = [];

    /// <summary>Starts a new attempt in phase "requested"; <paramref name="trigger"/> says who or what asked.</summary>
    public ResyncAttempt Begin(string trigger)
    {
        lock (_gate)
        {
            _attempt++;
            _trigger = trigger;
            _keysTotal = _keysReceived = _bytesReceived = 0;
            _startedAt = time.GetUtcNow();
            _finishedAt = null;
            _outcome = null;
            _phases = [];
            EnterPhase(Requested, _startedAt);
            return new ResyncAttempt(this, _attempt);
        }
    }

    /// <summary>The attempt still waiting for its snapshot (phase "requested"), if any.</summary>
    public ResyncAttempt? Pending
    {
        get { lock (_gate) return _phase == Requested ? new ResyncAttempt(this, _attempt) : null; }
    }

    /// <summary>The attempt whose snapshot is loaded and which is applying what the master wrote since, if any.</summary>
    public ResyncAttempt? CatchingUpAttempt
    {
        get { lock (_gate) return _phase == CatchingUp ? new ResyncAttempt(this, _attempt) : null; }
    }

    /// <summary>The running or last resync; null when there was none since start.</summary>
    public ResyncProgressView? Current()
    {
        lock (_gate)
        {
            if (_phase is null)
                return null;
            var end = _finishedAt ?? time.GetUtcNow();
            double seconds = (end - _startedAt).TotalSeconds;
            double rate = seconds > 0 ? _keysReceived / seconds : 0;
            return new ResyncProgressView(_phase, _keysTotal, _keysReceived, _bytesReceived, _startedAt, _finishedAt,
                Math.Round(rate, 1), _outcome, _trigger, _phases.ToList());
        }
    }

    internal void Update(int attempt, Action change)
    {
        lock (_gate)
        {
            if (attempt == _attempt && _phase is not (Completed or Failed))
                change();
        }
    }

    internal void SetTotal(long keys) => _keysTotal = keys;

    internal void AddReceived(long keys, long bytes)
    {
        _keysReceived += keys;
        _bytesReceived += bytes;
    }

    internal ResyncProgressView? Finish(int attempt, string phase, Func<ResyncProgressView, string> outcome)
    {
        lock (_gate)
        {
            if (attempt != _attempt || _phase is Completed or Failed)
                return null;
            _finishedAt = time.GetUtcNow();
            EnterPhase(phase, _finishedAt.Value);
            _outcome = outcome(Current()!);
            return Current();
        }
    }

    internal void EnterPhase(string phase, DateTimeOffset? at = null)
    {
        if (_phase == phase && _phases.Count > 0)
            return;
        _phase = phase;
        _phases.Add(new ResyncPhaseTime(phase, at ?? time.GetUtcNow()));
    }
}

/// <summary>One attempt of a full resync: what the code carrying it out reports through.</summary>
public sealed class ResyncAttempt
{
    private readonly ResyncProgress _progress;

    internal ResyncAttempt(ResyncProgress progress, int number)
    {
        _progress = progress;
        Number = number;
    }

    /// <summary>Attempts since start, 1 for the first.</summary>
    public int Number { get; }

    /// <summary>The master's snapshot began: <paramref name="keysTotal"/> keys are coming.</summary>
    public void Receiving(long keysTotal) => _progress.Update(Number, () =>
    {
        _progress.SetTotal(keysTotal);
        _progress.EnterPhase(ResyncProgress.Receiving);
    });

    /// <summary>A chunk of the snapshot arrived and is written to the loading store.</summary>
    public void Received(long keys, long bytes) => _progress.Update(Number, () => _progress.AddReceived(keys, bytes));

    /// <summary>The whole snapshot arrived; it is being made the node's data.</summary>
    public void Loading() => _progress.Update(Number, () => _progress.EnterPhase(ResyncProgress.Loading));

    /// <summary>The snapshot is the node's data; what the master wrote since its tag is being applied.</summary>
    public void CatchingUp() => _progress.Update(Number, () => _progress.EnterPhase(ResyncProgress.CatchingUp));

    /// <summary>Caught up; returns the final view, or null when this attempt was superseded or already finished.</summary>
    public ResyncProgressView? Complete(Func<ResyncProgressView, string> outcome) => _progress.Finish(Number, ResyncProgress.Completed, outcome);

    /// <summary>Failed for <paramref name="reason"/>; returns the final view, or null when superseded or already finished.</summary>
    public ResyncProgressView? Fail(string reason) => _progress.Finish(Number, ResyncProgress.Failed, _ => reason);
}
