using System.Text;
using ReplDash.Engine.Core.Commands;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>The replication contract: replaying the master's effects without a clock reaches the master's data.</summary>
public class ReplayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20240601)]
    [InlineData(987654321)]
    public void ReplayingRecordedEffects_OnAReplica_GivesTheSameDigest(int seed)
    {
        var random = new Random(seed);
        var master = new CommandHarness(nowMs: 1_000_000, seed: seed);
        var replica = new CommandHarness(nowMs: null);
        int applied = 0;
        for (int step = 0; step < 3000; step++)
        {
            master.Run(RandomCommand(random, master.NowMs!.Value));
            master.NowMs += random.Next(0, 40);
            if (random.Next(20) == 0)
                master.Sweep(random.Next(1, 5));

            // Apply what the master logged so far, as a replica would.
            for (; applied < master.AllEffects.Count; applied++)
            {
                string reply = replica.Run(master.AllEffects[applied]);
                Assert.False(reply.StartsWith('-'),
                    $"seed {seed}: replica refused {Describe(master.AllEffects[applied])}: {reply}");
            }
            if (step % 100 == 99)
                Assert.True(master.Store.DigestHex() == replica.Store.DigestHex(), $"seed {seed}: diverged at step {step}");
        }
        Assert.True(master.Store.Count > 0, $"seed {seed}: the run ended empty, so it proved little");
        Assert.True(master.Store.DigestHex() == replica.Store.DigestHex(), $"seed {seed}: final digests differ");
        Assert.Empty(replica.AllEffects);

        // The run must have exercised every rewritten form, or the equality above proves little.
        var names = master.AllEffects.Select(e => Describe(e)).ToList();
        Assert.Contains(names, e => e.StartsWith("SET ") && e.Contains(" PXAT "));
        Assert.Contains(names, e => e.StartsWith("PEXPIREAT "));
        Assert.Contains(names, e => e.StartsWith("SREM "));
        Assert.Contains(names, e => e.StartsWith("DEL "));
        Assert.DoesNotContain(names, e => e.StartsWith("EXPIRE") || e.StartsWith("SPOP") || e.StartsWith("SETNX")
            || e.StartsWith("GETSET") || e.Contains(" EX ") || e.Contains(" PX "));
    }

    private static string Describe(byte[][] effect) => string.Join(' ', effect.Select(a => Encoding.UTF8.GetString(a)));

    private static byte[][] RandomCommand(Random r, long nowMs)
    {
        string k = "k" + r.Next(8);
        string v = "v" + r.Next(5);
        string n = r.Next(-3, 10).ToString();
        string[] words = r.Next(34) switch
        {
            0 => ["SET", k, v],
            1 => ["SET", k, v, "EX", r.Next(1, 3).ToString()],
            2 => ["SET", k, v, "PX", r.Next(1, 400).ToString()],
            3 => ["SET", k, v, "PXAT", (nowMs + r.Next(-200, 400)).ToString()],
            4 => ["SET", k, v, r.Next(2) == 0 ? "NX" : "XX", "GET"],
            5 => ["SET", k, v, "KEEPTTL"],
            6 => ["SETNX", k, v],
            7 => ["GETSET", k, v],
            8 => ["MSET", k, v, "k" + r.Next(8), n],
            9 => ["DEL", k, "k" + r.Next(8)],
            10 => ["INCR", k],
            11 => ["INCRBY", k, n],
            12 => ["DECRBY", k, n],
            13 => ["APPEND", k, v],
            14 => ["HSET", k, "f" + r.Next(4), v, "f" + r.Next(4), n],
            15 => ["HDEL", k, "f" + r.Next(4)],
            16 => ["LPUSH", k, v, n],
            17 => ["RPUSH", k, v],
            18 => ["LPOP", k],
            19 => ["RPOP", k, r.Next(0, 3).ToString()],
            20 => ["SADD", k, "m" + r.Next(6), "m" + r.Next(6)],
            21 => ["SREM", k, "m" + r.Next(6)],
            22 => r.Next(2) == 0 ? ["SPOP", k] : ["SPOP", k, r.Next(0, 4).ToString()],
            23 => ["EXPIRE", k, r.Next(-1, 3).ToString()],
            24 => ["PEXPIRE", k, r.Next(-10, 300).ToString(), r.Next(3) == 0 ? "GT" : "LT"],
            25 => ["EXPIREAT", k, (nowMs / 1000 + r.Next(-1, 3)).ToString()],
            26 => ["PEXPIREAT", k, (nowMs + r.Next(-100, 300)).ToString()],
            27 => ["PERSIST", k],
            28 => ["GET", k],
            29 => ["TTL", k],
            30 => ["KEYS", "k[0-3]"],
            31 => ["SCAN", "0", "COUNT", "3"],
            32 => r.Next(15) == 0 ? ["FLUSHALL"] : ["EXISTS", k],
            _ => ["DECR", k],
        };
        return words.Select(Encoding.UTF8.GetBytes).ToArray();
    }
}
