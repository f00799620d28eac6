using ReplDash.Engine.Resp;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>Redis's encoding thresholds as CONFIG SET checks them, aliases, and INFO memory's human-readable sizes.</summary>
public class EncodingThresholdsTests
{
    [Fact]
    public void AnAlias_SetsTheListpackName_AndBothReportTheValue()
    {
        var thresholds = new EncodingThresholds();
        Assert.True(EncodingThresholds.TryParse("hash-max-ziplist-entries", "7", out long value, out _));

        thresholds.Set("hash-max-ziplist-entries", value);

        var all = thresholds.All().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("7", all["hash-max-listpack-entries"]);
        Assert.Equal("7", all["hash-max-ziplist-entries"]);
        Assert.Equal("-2", all["list-max-listpack-size"]);
    }

    [Theory]
    [InlineData("hash-max-listpack-entries", "-1", "argument must be between 0 and 9223372036854775807 inclusive")]
    [InlineData("list-compress-depth", "x", "argument couldn't be parsed into an integer")]
    public void BadValues_AreRefusedWithRedisReasons(string name, string text, string reason)
    {
        Assert.False(EncodingThresholds.TryParse(name, text, out _, out string error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void OnlyRedisThresholdNames_AreKnown()
    {
        Assert.True(EncodingThresholds.IsKnown("ZSET-MAX-ZIPLIST-VALUE"));
        Assert.False(EncodingThresholds.IsKnown("maxmemory"));
    }

    [Theory]
    [InlineData(512, "512B")]
    [InlineData(1536, "1.50K")]
    [InlineData(3 * 1024 * 1024, "3.00M")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.00G")]
    public void Human_PrintsSizesAsRedisDoes(long bytes, string expected) => Assert.Equal(expected, ProcessFigures.Human(bytes));
}
