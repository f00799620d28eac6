using System.Text;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>
/// The replication contract for the string, bitmap and key commands added for Redis compatibility: a replica that
/// applies the master's recorded effects without a clock reaches the master's digest, and no effect needs a clock.
/// </summary>
public class CompatReplayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20261207)]
    public void ReplayingEffectsOfTheNewCommands_OnAReplica_GivesTheSameDigest(int seed)
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
            for (; applied < master.AllEffects.Count; applied++)
            {
                string reply = replica.Run(master.AllEffects[applied]);
                Assert.False(reply.StartsWith('-'), $"seed {seed}: replica refused {Describe(master.AllEffects[applied])}: {reply}");
            }
            if (step % 100 == 99)
                Assert.True(master.Store.DigestHex() == replica.Store.DigestHex(), $"seed {seed}: diverged at step {step}");
        }
        Assert.True(master.Store.Count > 0, $"seed {seed}: the run ended empty, so it proved little");
        Assert.Equal(master.Store.DigestHex(), replica.Store.DigestHex());

        var names = master.AllEffects.Select(Describe).ToList();
        foreach (var expected in new[] { "SETRANGE ", "SETBIT ", "BITOP ", "RENAME ", "COPY ", "MSET ", "PERSIST " })
            Assert.Contains(names, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(names, e => e.StartsWith("SET ") && e.EndsWith(" KEEPTTL"));
        // Nothing that depends on the master's clock, randomness or float arithmetic is replayed as sent.
        Assert.DoesNotContain(names, e => e.StartsWith("SETEX") || e.StartsWith("PSETEX") || e.StartsWith("GETEX")
            || e.StartsWith("GETDEL") || e.StartsWith("INCRBYFLOAT") || e.StartsWith("MSETNX") || e.StartsWith("RENAMENX")
            || e.StartsWith("UNLINK"));
    }

    private static string Describe(byte[][] effect) => string.Join(' ', effect.Select(a => Encoding.UTF8.GetString(a)));

    private static byte[][] RandomCommand(Random r, long nowMs)
    {
        string k = "k" + r.Next(8);
        string k2 = "k" + r.Next(8);
        string v = "v" + r.Next(5);
        string[] words = r.Next(26) switch
        {
            0 => ["SET", k, r.Next(-5, 50).ToString()],
            1 => ["SETEX", k, r.Next(1, 3).ToString(), v],
            2 => ["PSETEX", k, r.Next(1, 400).ToString(), v],
            3 => ["GETEX", k, "PX", r.Next(1, 400).ToString()],
            4 => ["GETEX", k, "PXAT", (nowMs + r.Next(-200, 400)).ToString()],
            5 => ["GETEX", k, "PERSIST"],
            6 => ["GETDEL", k],
            7 => ["SETRANGE", k, r.Next(0, 12).ToString(), v],
            8 => ["INCRBYFLOAT", k, (r.Next(-100, 100) / 8.0).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            9 => ["MSETNX", k, v, k2, v],
            10 => ["SETBIT", k, r.Next(0, 40).ToString(), r.Next(2).ToString()],
            11 => ["BITOP", r.Next(2) == 0 ? "AND" : "XOR", k, k2, "k" + r.Next(8)],
            12 => ["BITOP", "NOT", k, k2],
            13 => ["RENAME", k, k2],
            14 => ["RENAMENX", k, k2],
            15 => ["COPY", k, k2, "REPLACE"],
            16 => ["COPY", k, k2],
            17 => ["UNLINK", k],
            18 => ["RPUSH", k, v],
            19 => ["SADD", k, "m" + r.Next(4)],
            20 => ["HSET", k, "f" + r.Next(3), v],
            21 => ["PEXPIRE", k, r.Next(1, 300).ToString()],
            22 => ["RANDOMKEY"],
            23 => ["TOUCH", k, k2],
            24 => ["LCS", k, k2],
            _ => r.Next(30) == 0 ? ["FLUSHALL"] : ["GETRANGE", k, "0", "-1"],
        };
        return words.Select(Encoding.UTF8.GetBytes).ToArray();
    }
}
