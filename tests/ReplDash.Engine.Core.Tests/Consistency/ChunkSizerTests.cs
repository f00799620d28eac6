using ReplDash.Engine.Core.Consistency;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Consistency;

public class ChunkSizerTests
{
    [Theory]
    [InlineData(64, 10_000, 10_000, 4096, 64)]    // on target: same size
    [InlineData(64, 20_000, 10_000, 4096, 32)]    // twice too slow: half
    [InlineData(64, 1_000, 10_000, 4096, 128)]    // ten times too fast: at most double
    [InlineData(64, 640_000, 10_000, 4096, 32)]   // 64 times too slow (a preempted thread?): at most half
    [InlineData(64, 0, 10_000, 4096, 128)]        // immeasurably fast (empty buckets): double
    [InlineData(1, 900_000, 10_000, 4096, 1)]     // never below one bucket
    [InlineData(3000, 1_000, 10_000, 4096, 4096)] // never beyond the buckets
    [InlineData(8, 1_000, 10_000, 4, 4)]          // never beyond the configured maximum
    public void NextChunk_AimsAtTheTarget(int last, long elapsedUs, long targetUs, int max, int expected) =>
        Assert.Equal(expected, ChunkSizer.Next(last, elapsedUs, targetUs, max));
}
