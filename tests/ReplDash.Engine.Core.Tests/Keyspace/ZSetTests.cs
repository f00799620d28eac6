using System.Text;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Tests.Keyspace;

/// <summary>The sorted-set structure against a plain sorted list, over random operations from fixed seeds.</summary>
public class ZSetTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static int Order((string Member, double Score) a, (string Member, double Score) b) =>
        a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(a.Member, b.Member);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20261207)]
    public void RandomOperations_MatchASortedListModel(int seed)
    {
        var random = new Random(seed);
        var set = new ZSet();
        var model = new Dictionary<string, double>();
        for (int step = 0; step < 4000; step++)
        {
            string member = "m" + random.Next(300);
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(member), set.Remove(B(member)));
            }
            else
            {
                double score = random.Next(6) == 0 ? double.PositiveInfinity : random.Next(-50, 50) / 4.0;
                bool added = !model.ContainsKey(member);
                model[member] = score;
                Assert.Equal(added, set.Set(B(member), score));
            }
            if (step % 97 != 0)
                continue;
            var expected = model.Select(kv => (kv.Key, kv.Value)).ToList();
            expected.Sort(Order);
            Assert.Equal(expected.Count, set.Count);
            var actual = set.Ascending().Select(p => (Encoding.UTF8.GetString(p.Member), p.Score)).ToList();
            Assert.Equal(expected, actual);
            for (int i = 0; i < expected.Count; i += 7)
            {
                Assert.Equal(i, set.RankOf(B(expected[i].Key)));
                var (atMember, atScore) = set.At(i);
                Assert.Equal(expected[i], (Encoding.UTF8.GetString(atMember), atScore));
            }
            if (expected.Count > 0)
            {
                var backwards = set.Walk(expected.Count - 1, expected.Count, reverse: true)
                    .Select(p => Encoding.UTF8.GetString(p.Member)).ToList();
                Assert.Equal(expected.Select(e => e.Key).Reverse(), backwards);
            }
        }
        Assert.True(set.Count > 50, $"seed {seed}: too few members to prove much");
    }

    [Fact]
    public void UpdatingAScore_MovesTheMember_AndKeepsOneNode()
    {
        var set = new ZSet();
        set.Set(B("a"), 1);
        set.Set(B("b"), 2);
        set.Set(B("c"), 3);
        Assert.False(set.Set(B("a"), 5));
        Assert.Equal(["b", "c", "a"], set.Ascending().Select(p => Encoding.UTF8.GetString(p.Member)));
        Assert.Equal(2, set.RankOf(B("a")));
        Assert.Equal(-1, set.RankOf(B("zz")));
        Assert.True(set.TryGetScore(B("a"), out double score));
        Assert.Equal(5, score);
    }

    [Fact]
    public void EqualScores_OrderByMemberBytes()
    {
        var set = new ZSet();
        foreach (var m in new[] { "b", "a", "ab", "\u00e9", "A" })
            set.Set(B(m), 0);
        Assert.Equal(["A", "a", "ab", "b", "\u00e9"], set.Ascending().Select(p => Encoding.UTF8.GetString(p.Member)));
    }

    [Fact]
    public void NaNScore_IsRefused()
    {
        var set = new ZSet();
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Set(B("a"), double.NaN));
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void ScanStep_ReturnsEveryMemberPresentThroughout_WhileOthersComeAndGo()
    {
        var set = new ZSet();
        for (int i = 0; i < 500; i++)
            set.Set(B("keep" + i), i);
        var seen = new HashSet<string>();
        long cursor = 0;
        int round = 0;
        do
        {
            var batch = new List<byte[]>();
            cursor = set.ScanStep(cursor, 20, batch);
            seen.UnionWith(batch.Select(Encoding.UTF8.GetString));
            // Churn between calls: members added and removed must not hide the ones kept.
            set.Set(B("temp" + round), -round);
            if (round > 2)
                set.Remove(B("temp" + (round - 2)));
            round++;
        }
        while (cursor != 0);
        for (int i = 0; i < 500; i++)
            Assert.Contains("keep" + i, seen);
    }

    [Fact]
    public void Operations_StayLogarithmic_OnALargeSet()
    {
        // 200,000 members: a linear rank or range would cost ~10^5 steps per call and the loop below ~10^10.
        var set = new ZSet();
        for (int i = 0; i < 200_000; i++)
            set.Set(B("m" + i), i % 1000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long total = 0;
        for (int i = 0; i < 100_000; i++)
        {
            total += set.RankOf(B("m" + (i * 7 % 200_000)));
            total += set.At(i * 3 % 200_000).Member.Length;
        }
        watch.Stop();
        Assert.True(total > 0);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"100k rank + at-rank calls took {watch.Elapsed}");
    }
}
