using ReplDash.Web.Components.Shared;

namespace ReplDash.Web.Tests;

public sealed class SparklinePointsTests
{
    [Fact]
    public void Line_ScalesTheLargestValueToTheTop_AndZeroToTheBottom() =>
        Assert.Equal("0,39 50,20 100,1", SparklinePoints.Line([0, 50, 100], width: 100, height: 40));

    [Fact]
    public void Line_FewerValuesThanSlots_FillTheRightHandEnd() =>
        Assert.Equal("75,39 100,1", SparklinePoints.Line([0, 10], width: 100, height: 40, slots: 5));

    [Fact]
    public void Line_NoValues_IsEmpty() => Assert.Equal("", SparklinePoints.Line([], 100, 40));
}
