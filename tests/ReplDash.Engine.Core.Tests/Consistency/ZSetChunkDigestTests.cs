using System.Text;
using ReplDash.Engine.Core.Consistency;
using ReplDash.Engine.Core.Tests.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Consistency;

/// <summary>The consistency check's bucket digests cover sorted sets: order-free, but every member and score bit counts.</summary>
public class ZSetChunkDigestTests
{
    private static readonly CheckMarker Everything = new("t", 0, CheckMarkerKind.Keys, 0, KeyBuckets.Count);

    private static CommandHarness Seeded()
    {
        var h = new CommandHarness();
        h.Run("ZADD z 1 a 2 b 3.5 c");
        h.Run("SET s v");
        return h;
    }

    [Fact]
    public void SameSortedSet_WrittenInAnotherOrder_GivesTheSameChunk()
    {
        var a = Seeded();
        var b = new CommandHarness();
        b.Run("SET s v");
        b.Run("ZADD z 3.5 c 9 a");
        b.Run("ZADD z 2 b 1 a");
        Assert.True(a.Store.ComputeChunk(Everything, "a").SameAs(b.Store.ComputeChunk(Everything, "b")));
    }

    [Theory]
    [InlineData("ZADD z 2.0000000000000004 b")]
    [InlineData("ZADD z 0 extra")]
    [InlineData("ZREM z c")]
    [InlineData("ZADD z -0 zero")]
    public void OneChange_DiffersTheChunk_AndNarrowsToTheSortedSet(string change)
    {
        var master = Seeded();
        var slave = Seeded();
        if (change.Contains("zero"))
            master.Run("ZADD z 0 zero"); // 0 on the master, -0 on the slave: equal as numbers, not as bytes
        slave.Run(change);
        var mine = master.Store.ComputeChunk(Everything, "m1");
        var theirs = slave.Store.ComputeChunk(Everything, "s1");
        Assert.False(mine.SameAs(theirs));
        var difference = Assert.Single(ChunkComparer.Compare(mine.Keys, theirs.Keys));
        Assert.Equal("z", Encoding.ASCII.GetString(difference.Key));
        Assert.Equal(DifferenceKind.Value, difference.Kind);
    }
}
