using ReplDash.Engine.Core.Time;

namespace ReplDash.Engine.Core.Tests.Settings;

/// <summary>Deadline arithmetic saturates: too far away is "never", never a time in the past.</summary>
public class DeadlinesTests
{
    [Theory]
    [InlineData(1L, 2L, 3L)]
    [InlineData(long.MaxValue, 1L, long.MaxValue)]
    [InlineData(long.MaxValue - 5, 10L, long.MaxValue)]
    [InlineData(long.MinValue, -1L, long.MinValue)]
    [InlineData(-5L, long.MinValue, long.MinValue)]
    [InlineData(long.MaxValue, long.MinValue, -1L)]
    public void AddSaturating(long a, long b, long expected) => Assert.Equal(expected, Deadlines.AddSaturating(a, b));

    [Theory]
    [InlineData(1_000L, 4_294_967_295L, 4_294_967_296_000L)]
    [InlineData(123_456_789L, 9_223_372_036_854_775L, long.MaxValue)]
    [InlineData(123_456_789L, long.MaxValue, long.MaxValue)]
    [InlineData(0L, 9_223_372_036_854_775L, 9_223_372_036_854_775_000L)]
    public void AfterMs_NeverWrapsIntoThePast(long startUs, long timeoutMs, long expected)
    {
        long deadline = Deadlines.AfterMs(startUs, timeoutMs);
        Assert.Equal(expected, deadline);
        Assert.True(deadline > startUs);
    }
}
