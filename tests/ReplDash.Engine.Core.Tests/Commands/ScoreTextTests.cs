using System.Text;
using ReplDash.Engine.Core.Commands;

namespace ReplDash.Engine.Core.Tests.Commands;

public class ScoreTextTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.0, "1")]
    [InlineData(-3.0, "-3")]
    [InlineData(1.5, "1.5")]
    [InlineData(0.1, "0.10000000000000001")]
    [InlineData(1.1, "1.1000000000000001")]
    [InlineData(2.2, "2.2000000000000002")]
    [InlineData(1e20, "1e+20")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(12345678901234567890.0, "1.2345678901234567e+19")]
    [InlineData(1e17, "1e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1.0000000000000001e-05")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "4.9406564584124654e-324")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Format_IsCPrintfG17(double value, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(ScoreText.Format(value)));

    [Theory]
    [InlineData(0.1)]
    [InlineData(-123.456e-7)]
    [InlineData(1.7976931348623157e308)]
    [InlineData(5e-324)]
    [InlineData(double.NegativeInfinity)]
    public void Format_RoundTrips(double value)
    {
        Assert.True(ScoreText.TryParse(ScoreText.Format(value), out double back));
        Assert.Equal(value, back);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1.5", -1.5)]
    [InlineData("+2", 2.0)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E-2", 0.01)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("4e-320", 4e-320)]
    [InlineData("0e5", 0.0)]
    public void TryParse_AcceptsWhatStrtodReadsWhole(string text, double expected)
    {
        Assert.True(ScoreText.TryParse(Encoding.ASCII.GetBytes(text), out double value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e-400")]
    [InlineData("1,5")]
    [InlineData("--1")]
    [InlineData(".")]
    [InlineData("0x10")]
    public void TryParse_RefusesWhatRedisRefuses(string text) =>
        Assert.False(ScoreText.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void RangeEnd_AcceptsOverflowAsInfinity_ButNotNaN()
    {
        Assert.True(ScoreText.TryParseRangeEnd("1e400"u8, out double value));
        Assert.Equal(double.PositiveInfinity, value);
        Assert.False(ScoreText.TryParseRangeEnd("nan"u8, out _));
    }
}
