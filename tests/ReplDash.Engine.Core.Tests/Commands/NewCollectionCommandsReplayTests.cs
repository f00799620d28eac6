using System.Text;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>The replication contract for the hash, list and set commands of issue 14: replayed effects reach the master's data.</summary>
public class NewCollectionCommandsReplayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(424242)]
    public void ReplayingTheirEffects_OnAReplica_GivesTheSameDigest(int seed)
    {
        var random = new Random(seed);
        var master = new CommandHarness(nowMs: 1_000_000, seed: seed);
        var replica = new CommandHarness(nowMs: null);
        int applied = 0;
        for (int step = 0; step < 4000; step++)
        {
            master.Run(RandomCommand(random));
            master.NowMs += random.Next(0, 30);
            for (; applied < master.AllEffects.Count; applied++)
            {
                string reply = replica.Run(master.AllEffects[applied]);
                Assert.False(reply.StartsWith('-'), $"seed {seed}: replica refused {Describe(master.AllEffects[applied])}: {reply}");
            }
            if (step % 200 == 199)
                Assert.True(master.Store.DigestHex() == replica.Store.DigestHex(), $"seed {seed}: diverged at step {step}");
        }
        Assert.True(master.Store.Count > 0);
        Assert.Equal(master.Store.DigestHex(), replica.Store.DigestHex());
        var names = master.AllEffects.Select(Describe).ToList();
        foreach (var form in new[] { "HSET ", "HINCRBY ", "LSET ", "LINSERT ", "LREM ", "LTRIM ", "LMOVE ", "RPOPLPUSH ", "LPOP ", "SMOVE ", "SINTERSTORE ", "SDIFFSTORE " })
            Assert.Contains(names, e => e.StartsWith(form));
        Assert.DoesNotContain(names, e => e.StartsWith("HINCRBYFLOAT") || e.StartsWith("BL") || e.StartsWith("BR") || e.StartsWith("LMPOP"));
    }

    private static string Describe(byte[][] effect) => string.Join(' ', effect.Select(a => Encoding.UTF8.GetString(a)));

    private static string RandomCommand(Random r)
    {
        string h = "h" + r.Next(3), l = "l" + r.Next(3), l2 = "l" + r.Next(3), s = "s" + r.Next(3), s2 = "s" + r.Next(3);
        string f = "f" + r.Next(4), v = "v" + r.Next(4), n = r.Next(-3, 6).ToString();
        string side() => r.Next(2) == 0 ? "LEFT" : "RIGHT";
        return r.Next(26) switch
        {
            0 => $"HMSET {h} {f} {v} f{r.Next(4)} {n}",
            1 => $"HINCRBY {h} {f} {n}",
            2 => $"HINCRBYFLOAT {h} {f} {r.Next(-50, 50) / 7.0:0.###}",
            3 => $"HSETNX {h} {f} {v}",
            4 => $"HDEL {h} {f}",
            5 => $"RPUSH {l} {v} {n}",
            6 => $"LPUSHX {l} {v}",
            7 => $"LSET {l} {n} {v}",
            8 => $"LINSERT {l} {(r.Next(2) == 0 ? "BEFORE" : "AFTER")} {v} x{n}",
            9 => $"LREM {l} {n} {v}",
            10 => $"LTRIM {l} {r.Next(-2, 3)} {r.Next(-3, 6)}",
            11 => $"LMOVE {l} {l2} {side()} {side()}",
            12 => $"RPOPLPUSH {l} {l2}",
            13 => $"LMPOP 2 {l} {l2} {side()} COUNT {r.Next(1, 4)}",
            14 => $"BLPOP {l} {l2} 0",
            15 => $"BLMOVE {l} {l2} {side()} {side()} 0",
            16 => $"SADD {s} {v} {n}",
            17 => $"SMOVE {s} {s2} {v}",
            18 => $"SINTERSTORE {s} {s2} s{r.Next(3)}",
            19 => $"SUNIONSTORE {s} {s2} s{r.Next(3)}",
            20 => $"SDIFFSTORE {s} {s2} s{r.Next(3)}",
            21 => $"SPOP {s}",
            22 => $"RPUSHX {l} {v}",
            23 => $"BLMPOP 0 1 {l} RIGHT COUNT 2",
            24 => $"LPUSH {l} {v}",
            _ => $"SADD {s} {v}",
        };
    }
}
