using System.Text;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>
/// Sorted sets under the replication contract: replaying the master's effects without a clock reaches the
/// master's data, and the stored form (checkpoint, full resync) carries it exactly.
/// </summary>
public class ZSetReplayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20261207)]
    public void RandomZSetLoad_ReplayedOnAReplica_GivesTheSameDigest(int seed)
    {
        var random = new Random(seed);
        var master = new CommandHarness(nowMs: 1_000_000, seed: seed);
        var replica = new CommandHarness(nowMs: null);
        int applied = 0;
        for (int step = 0; step < 3000; step++)
        {
            master.Run(RandomCommand(random));
            master.NowMs += random.Next(0, 20);
            for (; applied < master.AllEffects.Count; applied++)
            {
                string reply = replica.Run(master.AllEffects[applied]);
                Assert.False(reply.StartsWith('-'), $"seed {seed}: replica refused {Describe(master.AllEffects[applied])}: {reply}");
            }
            if (step % 100 == 99)
                Assert.True(master.Store.DigestHex() == replica.Store.DigestHex(), $"seed {seed}: diverged at step {step}");
        }
        Assert.True(master.Store.Count > 0, $"seed {seed}: the run ended empty");
        Assert.Equal(master.Store.DigestHex(), replica.Store.DigestHex());
        var names = master.AllEffects.Select(Describe).ToList();
        // Random or computed outcomes reach replicas only as their results.
        Assert.DoesNotContain(names, e => e.StartsWith("ZPOP") || e.StartsWith("ZINCRBY") || e.Contains(" INCR ") || e.StartsWith("ZUNIONSTORE")
            || e.StartsWith("ZREMRANGE") || e.StartsWith("BZPOP") || e.StartsWith("ZRANGESTORE"));
        Assert.Contains(names, e => e.StartsWith("ZREM "));
        Assert.Contains(names, e => e.StartsWith("DEL "));

        // The stored form (what the checkpoint and a full resync carry) loads back to the same data.
        var copy = new KeyspaceStore();
        foreach (var entry in master.Store.ExportAll())
            copy.Load(entry);
        Assert.Equal(master.Store.DigestHex(), copy.DigestHex());
    }

    [Fact]
    public void Digest_DoesNotDependOnWriteOrder_ButOnEveryScoreBit()
    {
        var one = new CommandHarness();
        one.Run("ZADD z 1 a 2 b 3 c");
        var two = new CommandHarness();
        two.Run("ZADD z 3 c");
        two.Run("ZADD z 2 b 1 a");
        Assert.Equal(one.Store.DigestHex(), two.Store.DigestHex());
        two.Run("ZADD z -0 zero");
        one.Run("ZADD z 0 zero");
        Assert.NotEqual(one.Store.DigestHex(), two.Store.DigestHex());
    }

    [Fact]
    public void StoredForm_RefusesDamage()
    {
        Assert.Throws<InvalidDataException>(() => StoredValueCodec.DecodeZSetPairs(StoredValueCodec.EncodeElements([[1], [1, 2, 3]])));
        Assert.Throws<InvalidDataException>(() => StoredValueCodec.DecodeZSetPairs(StoredValueCodec.EncodeElements([[1]])));
        Assert.Throws<InvalidDataException>(() => StoredValueCodec.DecodeZSetPairs(
            StoredValueCodec.EncodeElements([[1], StoredValueCodec.EncodeScore(double.NaN)])));
        var store = new KeyspaceStore();
        var twice = StoredValueCodec.EncodeElements([[1], StoredValueCodec.EncodeScore(1), [1], StoredValueCodec.EncodeScore(2)]);
        Assert.Throws<InvalidDataException>(() => store.Load(new StoredEntry([7], ReplDash.Engine.Core.Keyspace.ValueType.ZSet, twice, 0)));
    }

    private static string Describe(byte[][] effect) => string.Join(' ', effect.Select(a => Encoding.UTF8.GetString(a)));

    private static byte[][] RandomCommand(Random r)
    {
        string k = "z" + r.Next(4);
        string k2 = "z" + r.Next(4);
        string m = "m" + r.Next(12);
        string s = r.Next(10) == 0 ? "inf" : (r.Next(-40, 40) / 8.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] words = r.Next(24) switch
        {
            0 or 1 or 2 => ["ZADD", k, s, m, s, "m" + r.Next(12)],
            3 => ["ZADD", k, r.Next(2) == 0 ? "GT" : "LT", "CH", s, m],
            4 => ["ZADD", k, "INCR", s, m],
            5 => ["ZINCRBY", k, "0.1", m],
            6 => ["ZREM", k, m, "m" + r.Next(12)],
            7 => ["ZPOPMIN", k, r.Next(3).ToString()],
            8 => ["ZPOPMAX", k],
            9 => ["BZPOPMIN", k, k2, "0"],
            10 => ["ZREMRANGEBYRANK", k, "0", r.Next(-2, 2).ToString()],
            11 => ["ZREMRANGEBYSCORE", k, "(" + s, "+inf"],
            12 => ["ZREMRANGEBYLEX", k, "[m3", "(m6"],
            13 => ["ZUNIONSTORE", k, "2", k2, "z" + r.Next(4), "WEIGHTS", "1", "0.5"],
            14 => ["ZINTERSTORE", k, "2", k2, "z" + r.Next(4), "AGGREGATE", "MAX"],
            15 => ["ZDIFFSTORE", k, "2", k2, "z" + r.Next(4)],
            16 => ["ZRANGESTORE", k, k2, "0", r.Next(-3, 5).ToString()],
            17 => ["ZRANGESTORE", k, k2, s, "+inf", "BYSCORE", "LIMIT", "1", "3"],
            18 => ["PEXPIRE", k, r.Next(1, 60).ToString()],
            19 => ["DEL", k],
            20 => ["SADD", "z" + r.Next(4, 6), m],
            21 => ["ZUNIONSTORE", k, "2", k2, "z" + r.Next(4, 6)],
            22 => ["ZRANGE", k, "0", "-1", "WITHSCORES"],
            _ => ["ZADD", k, "NX", s, m],
        };
        return words.Select(Encoding.UTF8.GetBytes).ToArray();
    }
}
