using ReplDash.Web.Consistency;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>The bucket scope of a run (everything, or the buckets a repair touched) and the consistency settings' ranges.</summary>
public class CheckScopeTests
{
    [Fact]
    public void Buckets_MergeIntoRanges_AndChunksStayInsideOne()
    {
        var scope = CheckScope.OfBuckets([700, 12, 13, 701, 4095, 12]);
        Assert.Equal("12-14,700-702,4095-4096", scope.ToString());
        Assert.Equal(5, scope.BucketCount);
        Assert.Equal(12, scope.FirstAtOrAfter(0));
        Assert.Equal(700, scope.FirstAtOrAfter(14));
        Assert.Equal(4096, scope.FirstAtOrAfter(4096));
        Assert.Equal((12, 14), scope.ChunkAt(12, 100));
        Assert.Equal((700, 701), scope.ChunkAt(700, 1));
        Assert.Equal(3, scope.CountBelow(701));
        Assert.Equal(scope.ToString(), CheckScope.Parse(scope.ToString()).ToString());
        Assert.Equal(4096, CheckScope.Everything.BucketCount);
    }

    [Theory]
    [InlineData("5-5")]
    [InlineData("0-4097")]
    [InlineData("10-20,15-30")]
    [InlineData("a-b")]
    [InlineData("-1-3")]
    public void MalformedScope_IsRefused(string text) => Assert.Throws<FormatException>(() => CheckScope.Parse(text));

    [Theory]
    [InlineData("", 10, 8, 512, true)]
    [InlineData("0", 10, 8, 512, true)]
    [InlineData("01:00:00", 10, 8, 512, true)]
    [InlineData("00:00:00.5", 10, 8, 512, false)]
    [InlineData("hourly", 10, 8, 512, false)]
    [InlineData("", 0, 8, 512, false)]
    [InlineData("", 10, 600, 512, false)]
    [InlineData("", 10, 8, 5000, false)]
    public void Settings_OutOfRange_AreNamed(string schedule, int targetMs, int initial, int max, bool valid)
    {
        var options = new ConsistencyOptions { Schedule = schedule, ChunkTargetMs = targetMs, InitialChunkBuckets = initial, MaxChunkBuckets = max };
        Assert.Equal(valid, options.Validate().Count == 0);
        if (!valid)
            Assert.All(options.Validate(), e => Assert.StartsWith("ReplDash:Consistency:", e));
    }
}
