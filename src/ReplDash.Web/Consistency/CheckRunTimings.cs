namespace ReplDash.Web.Consistency;

/// <summary>
/// Where one run's time went, for the log line at its end (docs/CONSISTENCY.md, "Where a check's time goes"): the
/// master's lock hold per chunk, the waits for slaves' answers and for the master's own digests, the drill-downs, the
/// saves to the store and the pauses for lagging slaves. Measured with the injected clock's timestamps.
/// </summary>
internal sealed class CheckRunTimings(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    /// <summary>Microseconds the master held its lock for markers (capture and append), in all.</summary>
    public long LockedUs { get; private set; }

    /// <summary>The longest single lock hold, in microseconds.</summary>
    public long LongestLockUs { get; private set; }

    /// <summary>Milliseconds spent waiting for slaves' answers to digest markers.</summary>
    public double AnswersMs { get; private set; }

    /// <summary>Milliseconds spent waiting for the master's own digests after the slaves had answered.</summary>
    public double OwnMs { get; private set; }

    /// <summary>Milliseconds spent narrowing differing chunks to their keys (keys markers and comparison).</summary>
    public double DrillDownMs { get; private set; }

    /// <summary>Milliseconds spent saving progress and findings.</summary>
    public double SaveMs { get; private set; }

    /// <summary>Milliseconds paused while a slave lagged or was away.</summary>
    public double PausedMs { get; private set; }

    /// <summary>Milliseconds rested to give way to writes (BusySharePercent).</summary>
    public double YieldedMs { get; private set; }

    /// <summary>A start timestamp for one of the measured steps.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>One lock hold of the master.</summary>
    public void Locked(long microseconds)
    {
        LockedUs += microseconds;
        LongestLockUs = Math.Max(LongestLockUs, microseconds);
    }

    /// <summary>Adds the time since <paramref name="since"/> to the answer wait.</summary>
    public void Answers(long since) => AnswersMs += Elapsed(since);

    /// <summary>Adds the time since <paramref name="since"/> to the own-digest wait.</summary>
    public void Own(long since) => OwnMs += Elapsed(since);

    /// <summary>Adds the time since <paramref name="since"/> to the drill-down.</summary>
    public void DrillDown(long since) => DrillDownMs += Elapsed(since);

    /// <summary>Adds the time since <paramref name="since"/> to saving.</summary>
    public void Save(long since) => SaveMs += Elapsed(since);

    /// <summary>Adds the time since <paramref name="since"/> to pauses.</summary>
    public void Paused(long since) => PausedMs += Elapsed(since);

    /// <summary>Adds the time since <paramref name="since"/> to the rests given to writes.</summary>
    public void Yielded(long since) => YieldedMs += Elapsed(since);

    /// <summary>Seconds since the run was taken up by this process.</summary>
    public double TotalSeconds => time.GetElapsedTime(_started).TotalSeconds;

    private double Elapsed(long since) => time.GetElapsedTime(since).TotalMilliseconds;
}
