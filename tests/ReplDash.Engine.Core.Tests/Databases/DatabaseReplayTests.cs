using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>
/// The replication contract across databases: the master's items, encoded and decoded as the binlog does and applied
/// by a replica's <see cref="ItemApplier"/> (every item starting in database 0), give the same data in every database.
/// </summary>
public class DatabaseReplayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20261207)]
    public void ReplayingItems_AcrossDatabases_GivesTheSameDataInEveryDatabase(int seed)
    {
        var random = new Random(seed);
        var master = new DatabaseHarness(databases: 4, seed: seed);
        var replica = new KeyspaceDatabases(4);
        var applier = new ItemApplier(replica);
        int applied = 0;
        for (int step = 0; step < 3000; step++)
        {
            if (random.Next(10) == 0)
                master.Block(Enumerable.Range(0, random.Next(2, 6)).Select(_ => RandomCommand(random)).ToArray());
            else
                master.Run(RandomCommand(random));
            master.NowMs += random.Next(0, 30);
            if (random.Next(25) == 0)
                master.Sweep();
            for (; applied < master.Items.Count; applied++)
            {
                var bytes = BinlogItemCodec.Encode(master.Items[applied]);
                Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(bytes, out var decoded, out _));
                applier.Apply(decoded!);
            }
            if (step % 100 == 99)
                AssertSame(master.Databases, replica, $"seed {seed}, step {step}");
        }
        AssertSame(master.Databases, replica, $"seed {seed}, end");
        Assert.True(Enumerable.Range(0, 4).Count(i => master.Databases[i].Count > 0) >= 2, "the run should leave data in several databases");
        var effects = master.Items.SelectMany(i => i.Commands).Select(c => Encoding.ASCII.GetString(c[0])).ToHashSet();
        Assert.Superset(new HashSet<string> { "SELECT", "SWAPDB", "MOVE", "FLUSHDB", "DEL", "COPY" }, effects);
    }

    private static void AssertSame(KeyspaceDatabases master, KeyspaceDatabases replica, string where)
    {
        Assert.True(master.DigestHex() == replica.DigestHex(), $"{where}: digests differ");
        for (int i = 0; i < master.DatabaseCount; i++)
            Assert.True(master[i].DigestHex() == replica[i].DigestHex(), $"{where}: database {i} differs");
    }

    private static string RandomCommand(Random r)
    {
        string k = "k" + r.Next(6);
        int db = r.Next(4);
        return r.Next(20) switch
        {
            0 or 1 => $"SELECT {db}",
            2 => $"SWAPDB {db} {r.Next(4)}",
            3 or 4 => $"MOVE {k} {db}",
            5 when r.Next(4) == 0 => "FLUSHDB",
            6 when r.Next(20) == 0 => "FLUSHALL",
            7 => $"PEXPIRE {k} {r.Next(1, 200)}",
            8 => $"INCR {k}",
            9 => $"SADD s{r.Next(2)} {r.Next(5)}",
            10 => $"DEL {k}",
            11 => $"RPUSH l {r.Next(9)}",
            12 => $"SET {k} v{r.Next(9)} PX {r.Next(1, 300)}",
            13 => $"COPY {k} k{r.Next(6)} DB {db}" + (r.Next(2) == 0 ? " REPLACE" : ""),
            _ => $"SET {k} v{r.Next(9)}",
        };
    }
}
