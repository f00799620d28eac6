using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Node;

namespace ReplDash.Web.Consistency;

/// <summary>
/// Makes a run give way to writes (docs/CONSISTENCY.md, "Giving way to writes"): while the master takes writes, a run
/// keeps one chunk in flight and, after each, rests so that it works at most <c>BusySharePercent</c> of the time; with
/// no writes it runs at full speed. Writes are seen as binlog growth past the run's own last marker.
/// </summary>
/// <param name="busySharePercent">Share of the time a run may work while the master takes writes (1-100).</param>
public sealed class WriteYield(int busySharePercent)
{
    private BinlogPosition _lastMarkerEnd;

    /// <summary>True when the master took writes during the last finished chunk (and the share is below 100%).</summary>
    public bool Busy { get; private set; }

    /// <summary>How long to rest before the next marker; zero when not busy.</summary>
    public TimeSpan Rest { get; private set; }

    /// <summary>Markers the run may keep in flight now.</summary>
    public int InFlightLimit(int configured) => Busy ? 1 : configured;

    /// <summary>The run appended a marker ending at <paramref name="end"/>.</summary>
    public void MarkerWritten(BinlogPosition end) => _lastMarkerEnd = BinlogPosition.Max(_lastMarkerEnd, end);

    /// <summary>A chunk finished after <paramref name="work"/> of the run's time; <paramref name="master"/> is the master's position now.</summary>
    public void ChunkFinished(NodePositions master, TimeSpan work)
    {
        Busy = busySharePercent < 100 && master.End > _lastMarkerEnd;
        Rest = Busy ? work * (100 - busySharePercent) / busySharePercent : TimeSpan.Zero;
    }

    /// <summary>The rest was taken.</summary>
    public void Rested() => Rest = TimeSpan.Zero;
}
