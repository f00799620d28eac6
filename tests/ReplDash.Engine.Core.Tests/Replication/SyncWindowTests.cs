using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Replication;

public class SyncWindowTests
{
    private static readonly BinlogPosition Origin = new(1, 32);

    private static BinlogPosition At(long offset) => new(1, offset);

    /// <summary>
    /// A window reset at 1:32 holding three items: [32,132) sent at 1000 ms, [132,182) at 1010 ms,
    /// [182,382) at 1020 ms.
    /// </summary>
    private static SyncWindow ThreeInFlight()
    {
        var window = new SyncWindow(maxItems: 10, maxBytes: 10_000);
        window.Reset(Origin);
        window.Sent(At(32), At(132), 100, now: 1000);
        window.Sent(At(132), At(182), 50, now: 1010);
        window.Sent(At(182), At(382), 200, now: 1020);
        return window;
    }

    private static (int Items, long Bytes, BinlogPosition Sent, BinlogPosition Acked) State(SyncWindow w) =>
        (w.InFlightItems, w.InFlightBytes, w.SentEnd, w.AckedEnd);

    [Fact]
    public void HasRoomFor_StopsAtMaxItems()
    {
        var window = new SyncWindow(maxItems: 2, maxBytes: 1_000_000);
        window.Reset(Origin);
        window.Sent(At(32), At(42), 10, 0);
        Assert.True(window.HasRoomFor(10));
        window.Sent(At(42), At(52), 10, 0);
        Assert.False(window.HasRoomFor(1));
    }

    [Theory]
    [InlineData(60, true)]  // 40 + 60 == 100: exactly full is allowed
    [InlineData(61, false)]
    [InlineData(0, true)]
    public void HasRoomFor_RespectsMaxBytes(int nextBytes, bool room)
    {
        var window = new SyncWindow(maxItems: 100, maxBytes: 100);
        window.Reset(Origin);
        window.Sent(At(32), At(72), 40, 0);
        Assert.Equal(room, window.HasRoomFor(nextBytes));
    }

    [Fact]
    public void EmptyWindow_AlwaysTakesOneItemEvenAboveMaxBytes()
    {
        var window = new SyncWindow(maxItems: 4, maxBytes: 100);
        window.Reset(Origin);
        Assert.True(window.HasRoomFor(1_000_000));
        window.Sent(At(32), At(1_000_032), 1_000_000, 0);
        Assert.False(window.HasRoomFor(1));
    }

    [Fact]
    public void RoomComesBackAfterAnAck()
    {
        var window = new SyncWindow(maxItems: 1, maxBytes: 1_000);
        window.Reset(Origin);
        window.Sent(At(32), At(132), 100, 0);
        Assert.False(window.HasRoomFor(1));
        Assert.True(window.Ack(At(32), At(132), 5).Valid);
        Assert.True(window.HasRoomFor(1));
    }

    [Fact]
    public void AckOfTheOldestItem_ReleasesOnlyIt()
    {
        var window = ThreeInFlight();

        var check = window.Ack(At(32), At(132), now: 1100);

        Assert.True(check.Valid, check.Problem);
        Assert.Null(check.Problem);
        Assert.Equal(1, check.ItemsAcked);
        Assert.Equal(100, check.Latency);
        Assert.Equal(2, window.InFlightItems);
        Assert.Equal(250, window.InFlightBytes);
        Assert.Equal(At(132), window.AckedEnd);
        Assert.Equal(At(382), window.SentEnd);
    }

    [Fact]
    public void AckOfSeveralItems_ReleasesThemAndMeasuresLatencyFromTheLastOne()
    {
        var window = ThreeInFlight();

        var check = window.Ack(At(32), At(182), now: 1100);

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(2, check.ItemsAcked);
        Assert.Equal(1100 - 1010, check.Latency); // the second item's send time, not the first's
        Assert.Equal(1, window.InFlightItems);
        Assert.Equal(200, window.InFlightBytes);
        Assert.Equal(At(182), window.AckedEnd);
    }

    [Fact]
    public void AckOfEverything_EmptiesTheWindow()
    {
        var window = ThreeInFlight();

        var check = window.Ack(At(32), At(382), now: 1020);

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(3, check.ItemsAcked);
        Assert.Equal(0, check.Latency);
        Assert.Equal(0, window.InFlightItems);
        Assert.Equal(0, window.InFlightBytes);
        Assert.Equal(At(382), window.AckedEnd);
    }

    [Fact]
    public void ConsecutiveAcks_EachStartWhereThePreviousEnded()
    {
        var window = ThreeInFlight();

        Assert.True(window.Ack(At(32), At(132), 1100).Valid);
        Assert.True(window.Ack(At(132), At(182), 1101).Valid);
        var last = window.Ack(At(182), At(382), 1102);

        Assert.True(last.Valid, last.Problem);
        Assert.Equal(1102 - 1020, last.Latency);
        Assert.Equal(0, window.InFlightItems);
    }

    [Fact]
    public void AckAcrossASegmentSwitch_ReleasesBothItems()
    {
        var window = new SyncWindow(10, 10_000);
        window.Reset(new BinlogPosition(1, 900));
        window.Sent(new BinlogPosition(1, 900), new BinlogPosition(1, 1000), 100, 0);
        window.Sent(new BinlogPosition(2, 32), new BinlogPosition(2, 82), 50, 0);

        var check = window.Ack(new BinlogPosition(1, 900), new BinlogPosition(2, 82), 10);

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(2, check.ItemsAcked);
        Assert.Equal(new BinlogPosition(2, 82), window.AckedEnd);
    }

    [Fact]
    public void ClockGoingBackwards_GivesZeroLatencyNotNegative()
    {
        var window = ThreeInFlight();
        Assert.Equal(0, window.Ack(At(32), At(132), now: 900).Latency);
    }

    [Fact]
    public void AckWhenNothingIsInFlight_IsWindowCorruption()
    {
        var window = new SyncWindow(10, 10_000);
        window.Reset(Origin);

        var check = window.Ack(At(32), At(132), 0);

        Assert.False(check.Valid);
        Assert.Contains("nothing is in flight", check.Problem);
        Assert.Equal(Origin, window.AckedEnd);
    }

    [Fact]
    public void AckAgainAfterEverythingWasAcked_IsWindowCorruption()
    {
        var window = ThreeInFlight();
        Assert.True(window.Ack(At(32), At(382), 1100).Valid);

        var replay = window.Ack(At(32), At(382), 1101);

        Assert.False(replay.Valid);
        Assert.Equal(At(382), window.AckedEnd);
    }

    /// <summary>Every refused ack against <see cref="ThreeInFlight"/> after its first item was acked: [132,182) and [182,382) in flight.</summary>
    [Theory]
    [InlineData("skipped range: starts at the second unacked item", 182, 382)]
    [InlineData("replayed ack: starts at an already acked item", 32, 182)]
    [InlineData("replayed ack: exactly the acked item again", 32, 132)]
    [InlineData("starts inside the oldest unacked item", 140, 182)]
    [InlineData("ends inside an item", 132, 200)]
    [InlineData("ends one byte before an item end", 132, 181)]
    [InlineData("ends beyond what was sent", 132, 482)]
    [InlineData("ends one byte beyond what was sent", 132, 383)]
    [InlineData("empty range", 132, 132)]
    [InlineData("inverted range", 132, 100)]
    public void AckForARangeThatDoesNotLineUp_IsWindowCorruptionAndChangesNothing(string why, long start, long end)
    {
        var window = ThreeInFlight();
        Assert.True(window.Ack(At(32), At(132), 1050).Valid);
        var before = State(window);

        var check = window.Ack(At(start), At(end), now: 1100);

        Assert.False(check.Valid, why);
        Assert.Equal(0, check.ItemsAcked);
        Assert.False(string.IsNullOrEmpty(check.Problem), why);
        Assert.Equal(before, State(window));
        // The window still accepts the correct ack afterwards: nothing was half released.
        var good = window.Ack(At(132), At(382), 1200);
        Assert.True(good.Valid, good.Problem);
        Assert.Equal(2, good.ItemsAcked);
    }

    [Fact]
    public void AckForARangeNeverSent_IsWindowCorruption()
    {
        var window = ThreeInFlight();
        var before = State(window);

        var check = window.Ack(new BinlogPosition(7, 32), new BinlogPosition(7, 132), 1100);

        Assert.False(check.Valid);
        Assert.Equal(before, State(window));
    }

    [Fact]
    public void AckInAnotherSegmentWithTheSameOffsets_IsWindowCorruption()
    {
        // Offsets alone match the oldest item; the file number does not.
        var window = ThreeInFlight();
        var check = window.Ack(new BinlogPosition(2, 32), new BinlogPosition(2, 132), 1100);
        Assert.False(check.Valid);
        Assert.Equal(3, window.InFlightItems);
    }

    [Fact]
    public void Reset_ClearsInFlightAndMovesBothEnds()
    {
        var window = ThreeInFlight();
        Assert.True(window.Ack(At(32), At(132), 1050).Valid);

        window.Reset(new BinlogPosition(3, 500));

        Assert.Equal(0, window.InFlightItems);
        Assert.Equal(0, window.InFlightBytes);
        Assert.Equal(new BinlogPosition(3, 500), window.SentEnd);
        Assert.Equal(new BinlogPosition(3, 500), window.AckedEnd);
        Assert.True(window.HasRoomFor(int.MaxValue));
        // Acks for the old session's items are now corruption.
        Assert.False(window.Ack(At(132), At(182), 1100).Valid);
    }
}
