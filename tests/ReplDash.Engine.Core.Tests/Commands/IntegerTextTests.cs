using System.Text;
using ReplDash.Engine.Core.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

public class IntegerTextTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("42", 42L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void TryParse_AcceptsRedisIntegers(string text, long expected)
    {
        Assert.True(IntegerText.TryParse(Encoding.ASCII.GetBytes(text), out long value));
        Assert.Equal(expected, value);
        Assert.Equal(text, Encoding.ASCII.GetString(IntegerText.Format(value)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("1.5")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999")]
    public void TryParse_RejectsEverythingElse(string text) =>
        Assert.False(IntegerText.TryParse(Encoding.ASCII.GetBytes(text), out _));
}
