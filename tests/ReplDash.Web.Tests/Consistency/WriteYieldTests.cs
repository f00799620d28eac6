using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Node;
using ReplDash.Web.Consistency;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>A run gives way to writes only while the master takes them, and then works at most its share of the time.</summary>
public class WriteYieldTests
{
    private static NodePositions MasterAt(long offset) =>
        NodePositions.Empty with { End = new BinlogPosition(1, offset) };

    [Fact]
    public void NoWritesSinceTheLastMarker_FullSpeed()
    {
        var yielding = new WriteYield(20);
        yielding.MarkerWritten(new BinlogPosition(1, 500));
        yielding.ChunkFinished(MasterAt(500), TimeSpan.FromMilliseconds(40));
        Assert.False(yielding.Busy);
        Assert.Equal(TimeSpan.Zero, yielding.Rest);
        Assert.Equal(3, yielding.InFlightLimit(3));
    }

    [Fact]
    public void WritesAfterTheLastMarker_OneChunkInFlight_AndRestsFourTimesTheWorkAtTwentyPercent()
    {
        var yielding = new WriteYield(20);
        yielding.MarkerWritten(new BinlogPosition(1, 500));
        yielding.ChunkFinished(MasterAt(900), TimeSpan.FromMilliseconds(40));
        Assert.True(yielding.Busy);
        Assert.Equal(TimeSpan.FromMilliseconds(160), yielding.Rest);
        Assert.Equal(1, yielding.InFlightLimit(3));

        yielding.Rested();
        Assert.Equal(TimeSpan.Zero, yielding.Rest);

        // The writes stopped: the next chunk sees no growth past its marker, and the run goes back to full speed.
        yielding.MarkerWritten(new BinlogPosition(1, 1000));
        yielding.ChunkFinished(MasterAt(1000), TimeSpan.FromMilliseconds(40));
        Assert.False(yielding.Busy);
        Assert.Equal(3, yielding.InFlightLimit(3));
    }

    [Fact]
    public void AHundredPercentShare_NeverGivesWay()
    {
        var yielding = new WriteYield(100);
        yielding.MarkerWritten(new BinlogPosition(1, 500));
        yielding.ChunkFinished(MasterAt(900), TimeSpan.FromMilliseconds(40));
        Assert.False(yielding.Busy);
        Assert.Equal(TimeSpan.Zero, yielding.Rest);
    }
}
