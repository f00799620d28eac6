using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// Issue 14: a mixed load of every write command the issue added (strings and bitmaps, keys, hashes, lists, sets,
/// sorted sets, SORT ... STORE, a MULTI of them; RESTORE's replication is covered by DumpRestoreCommandsTests) reaches both slaves as deterministic effects: equal DEBUG
/// DIGESTs after the load, after one more round while a slave was killed with SIGKILL and restarted, and after a
/// full resync of the other.
/// </summary>
public class MixedWriteCommandsReplicationTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    /// <summary>One round of the new write commands on keys named after <paramref name="p"/>; every reply must not be an error.</summary>
    private static async Task WriteRoundAsync(RespTestClient client, string p)
    {
        string[][] commands =
        [
            // strings and bitmaps
            ["SETEX", $"{p}:sx", "600", "v"], ["PSETEX", $"{p}:psx", "600000", "v"], ["SET", $"{p}:s", "hello"],
            ["GETEX", $"{p}:s", "EX", "900"], ["SETRANGE", $"{p}:s", "3", "XYZ"], ["INCRBYFLOAT", $"{p}:f", "1.5"],
            ["INCRBYFLOAT", $"{p}:f", "0.1"], ["MSETNX", $"{p}:m1", "a", $"{p}:m2", "b"], ["GETDEL", $"{p}:m2"],
            ["SETBIT", $"{p}:bits", "7", "1"], ["SETBIT", $"{p}:bits2", "100", "1"],
            ["BITOP", "OR", $"{p}:bitor", $"{p}:bits", $"{p}:bits2"],
            // keys
            ["SET", $"{p}:r", "1"], ["RENAME", $"{p}:r", $"{p}:r2"], ["RENAMENX", $"{p}:r2", $"{p}:r3"],
            ["COPY", $"{p}:r3", $"{p}:r4"], ["EXPIREAT", $"{p}:r4", "4102444800"], ["PEXPIREAT", $"{p}:r3", "4102444800000"],
            ["SET", $"{p}:u", "x"], ["UNLINK", $"{p}:u"], ["COPY", $"{p}:s", $"{p}:s-in-db2", "DB", "2"],
            // hashes
            ["HMSET", $"{p}:h", "a", "1", "b", "2"], ["HINCRBY", $"{p}:h", "a", "5"], ["HINCRBYFLOAT", $"{p}:h", "b", "0.25"],
            ["HSETNX", $"{p}:h", "c", "3"], ["HDEL", $"{p}:h", "c"],
            // lists
            ["RPUSH", $"{p}:l", "a", "b", "c", "d", "b"], ["LSET", $"{p}:l", "0", "A"], ["LINSERT", $"{p}:l", "BEFORE", "c", "bc"],
            ["LREM", $"{p}:l", "1", "b"], ["LPUSHX", $"{p}:l", "head"], ["RPUSHX", $"{p}:l", "tail"], ["LTRIM", $"{p}:l", "0", "5"],
            ["RPOPLPUSH", $"{p}:l", $"{p}:l2"], ["LMOVE", $"{p}:l", $"{p}:l2", "LEFT", "RIGHT"], ["LMPOP", "1", $"{p}:l", "RIGHT", "COUNT", "1"],
            // sets (SPOP picks at random on the master; its effect names what it took)
            ["SADD", $"{p}:a", "1", "2", "3", "4"], ["SADD", $"{p}:b", "3", "4", "5"], ["SMOVE", $"{p}:a", $"{p}:b", "1"],
            ["SINTERSTORE", $"{p}:i", $"{p}:a", $"{p}:b"], ["SUNIONSTORE", $"{p}:un", $"{p}:a", $"{p}:b"],
            ["SDIFFSTORE", $"{p}:d", $"{p}:b", $"{p}:a"], ["SPOP", $"{p}:un"],
            // sorted sets
            ["ZADD", $"{p}:z", "1", "a", "2", "b", "3", "c"], ["ZADD", $"{p}:z", "GT", "CH", "5", "a"], ["ZINCRBY", $"{p}:z", "0.5", "b"],
            ["ZPOPMIN", $"{p}:z"], ["ZADD", $"{p}:z2", "10", "x", "1", "b"], ["ZUNIONSTORE", $"{p}:zu", "2", $"{p}:z", $"{p}:z2", "WEIGHTS", "2", "1"],
            ["ZINTERSTORE", $"{p}:zi", "2", $"{p}:z", $"{p}:z2"], ["ZREMRANGEBYSCORE", $"{p}:zu", "-inf", "3"],
            // SORT ... STORE writes its result
            ["RPUSH", $"{p}:nums", "3", "1", "2"], ["SORT", $"{p}:nums", "STORE", $"{p}:sorted"],
        ];
        foreach (var command in commands)
            Assert.IsNotType<RespError>(await client.CallAsync(command));
        // A transaction of several of them.
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        foreach (var command in new[] { new[] { "HINCRBY", $"{p}:h", "a", "1" }, ["LPUSH", $"{p}:l2", "m"], ["ZADD", $"{p}:z", "7", "m"], ["SETRANGE", $"{p}:s", "0", "J"] })
            Assert.Equal("QUEUED", await client.CallAsync(command));
        Assert.Equal(4, Assert.IsType<object?[]>(await client.CallAsync("EXEC")).Length);
    }

    private static async Task<string> AssertConvergedAsync(ClusterConfig cluster, string when)
    {
        var (master1, slave1) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave1Resp, CatchUp);
        var (master2, slave2) = await Convergence.CaughtUpDigestsAsync(cluster.MasterResp, cluster.Slave2Resp, CatchUp);
        Assert.True(master1 == slave1, $"{when}: s1's digest {slave1} differs from m1's {master1}");
        Assert.True(master2 == slave2, $"{when}: s2's digest {slave2} differs from m1's {master2}");
        Assert.Equal(master1, master2);
        return master1;
    }

    [Fact]
    public async Task EveryNewWriteCommand_ConvergesOnBothSlaves_AcrossASlaveKillAndAFullResync()
    {
        var cluster = new ClusterConfig { SemiSync = false };
        await using var master = await cluster.StartAsync("m1", cluster.MasterResp);
        var s1Dir = RepositoryPaths.NewTempDirectory("mixed-s1");
        var s1 = await cluster.StartAsync("s1", cluster.Slave1Resp, s1Dir);
        await using var s2 = await cluster.StartAsync("s2", cluster.Slave2Resp);
        try
        {
            using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
                await WriteRoundAsync(client, "one");
            var first = await AssertConvergedAsync(cluster, "after the first round");
            Assert.NotEqual(new string('0', 40), first);

            // s1 killed with SIGKILL; a second round while it is down; restarted from its own data directory.
            await s1.KillAsync();
            await s1.DisposeAsync();
            using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
                await WriteRoundAsync(client, "two");
            s1 = await cluster.StartAsync("s1", cluster.Slave1Resp, s1Dir);
            var second = await AssertConvergedAsync(cluster, "after s1 was killed and restarted");
            Assert.NotEqual(first, second);

            // A full resync of s2 carries every type as a snapshot.
            using var http = TestCredentials.Client(s2.BaseAddress);
            Assert.True((await http.PostAsync("api/nodes/s2/resync", null)).IsSuccessStatusCode);
            await Convergence.WaitForEventAsync(s2.BaseAddress, "full-resync-end", CatchUp, "s2");
            Assert.Equal(second, await AssertConvergedAsync(cluster, "after s2's full resync"));
        }
        finally
        {
            await s1.DisposeAsync();
        }
    }
}
