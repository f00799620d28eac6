using System.Diagnostics;
using ReplDash.Testing;
using StackExchange.Redis;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// The string and key commands added for Redis compatibility, end to end: a mixed load of them converges on both
/// slaves; StackExchange.Redis's StringSet with expiry (SETEX), KeyExpireTime (PEXPIRETIME) and conditional
/// transactions (WATCH) work; ioredis's WATCH conflict aborts.
/// </summary>
[Collection(CompatClusterCollection.Name)]
public sealed class CompatInteropTests(CompatClusterFixture fixture)
{
    private ClusterConfig Cluster => fixture.Cluster;

    private IDatabase Db => fixture.Redis.GetDatabase();

    [Fact]
    public async Task AMixedLoadOfTheNewWriteCommands_ConvergesToEqualDigestsOnBothSlaves()
    {
        var random = new Random(14);
        using var client = await RespTestClient.ConnectAsync(Cluster.MasterResp);
        int errors = 0;
        for (int i = 0; i < 1500; i++)
        {
            string k = "mix:" + random.Next(12), k2 = "mix:" + random.Next(12);
            string[] command = random.Next(17) switch
            {
                0 => ["SETEX", k, "100", "v" + i],
                1 => ["PSETEX", k, random.Next(1, 50).ToString(), "short"],
                2 => ["GETEX", k, "EX", "50"],
                3 => ["GETEX", k, "PERSIST"],
                4 => ["GETDEL", k],
                5 => ["SETRANGE", k, random.Next(0, 10).ToString(), "xy"],
                6 => ["INCRBYFLOAT", k, "0.25"],
                7 => ["MSETNX", k, "a", k2, "b"],
                8 => ["SETBIT", k, random.Next(0, 64).ToString(), random.Next(2).ToString()],
                9 => ["BITOP", "OR", k, k2, "mix:" + random.Next(12)],
                10 => ["RENAME", k, k2],
                11 => ["RENAMENX", k, k2],
                12 => ["COPY", k, k2, "REPLACE"],
                13 => ["UNLINK", k],
                14 => ["RPUSH", k, "e"],
                15 => ["SET", k, random.Next(100).ToString()],
                _ => ["GETEX", k, "PXAT", DateTimeOffset.UtcNow.AddMilliseconds(random.Next(-50, 200)).ToUnixTimeMilliseconds().ToString()],
            };
            if (await client.CallAsync(command) is RespError)
                errors++; // WRONGTYPE, "no such key", "not a valid float": refused commands change nothing
        }
        Assert.InRange(errors, 1, 1200); // some refusals, but mostly writes

        foreach (var slave in new[] { Cluster.Slave1Resp, Cluster.Slave2Resp })
        {
            var (master, replica) = await Convergence.CaughtUpDigestsAsync(Cluster.MasterResp, slave, CompatClusterFixture.CatchUp);
            Assert.Equal(master, replica);
            Assert.NotEqual(new string('0', 40), master);
        }
        using var slaveClient = await RespTestClient.ConnectAsync(Cluster.Slave1Resp);
        Assert.Equal(new RespError("READONLY You can't write against a read only replica."), await slaveClient.CallAsync("SETEX", "mix:0", "10", "v"));
        Assert.Equal(new RespError("READONLY You can't write against a read only replica."), await slaveClient.CallAsync("GETEX", "mix:0", "PERSIST"));
        Assert.IsType<long>(await slaveClient.CallAsync("EXPIRETIME", "mix:0"));
    }

    [Fact]
    public async Task StackExchange_StringSetWithExpiry_AndKeyExpireTime()
    {
        var before = DateTime.UtcNow;
        Assert.True(await Db.StringSetAsync("se2:ttl", "x", TimeSpan.FromSeconds(100)));
        Assert.Equal("x", (string?)await Db.StringGetAsync("se2:ttl"));
        Assert.InRange((await Db.KeyTimeToLiveAsync("se2:ttl"))!.Value.TotalSeconds, 90, 100);
        var expireAt = await Db.KeyExpireTimeAsync("se2:ttl");
        Assert.NotNull(expireAt);
        Assert.InRange(expireAt!.Value, before.AddSeconds(99), before.AddSeconds(102));
        Assert.Null(await Db.KeyExpireTimeAsync("se2:no-such-key"));
        Assert.True(await Db.StringSetAsync("se2:plain", "y"));
        Assert.Null(await Db.KeyExpireTimeAsync("se2:plain"));
        Assert.Equal("x", (string?)await Db.StringGetDeleteAsync("se2:ttl"));
        Assert.False(await Db.KeyExistsAsync("se2:ttl"));
        Assert.Equal(2.5, await Db.StringIncrementAsync("se2:f", 2.5));
    }

    [Fact]
    public async Task StackExchange_TransactionWithACondition_AbortsOnAConflictingWrite_AndCommitsWithoutOne()
    {
        var db = Db;
        await db.StringSetAsync("se2:balance", "100");

        // Another connection keeps rewriting the watched key with the value the condition expects: the condition
        // (checked by the client right after WATCH) holds every time, so only WATCH can notice the writes that land
        // between it and EXEC. Some attempts must abort, and an aborted attempt must have run nothing.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            using var other = await RespTestClient.ConnectAsync(Cluster.MasterResp);
            long writes = 0;
            while (!stop.IsCancellationRequested)
            {
                await other.CallAsync("SET", "se2:balance", "100");
                writes++;
            }
            return writes;
        });
        int committed = 0, aborted = 0;
        for (int attempt = 0; attempt < 400 && aborted < 3; attempt++)
        {
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual("se2:balance", "100"));
            _ = transaction.StringSetAsync("se2:balance", "100");
            _ = transaction.StringIncrementAsync("se2:commits");
            if (await transaction.ExecuteAsync())
                committed++;
            else
                aborted++;
        }
        stop.Cancel();
        Assert.True(await writer > 0);
        Assert.True(aborted > 0, $"no conditional transaction aborted in {committed} attempts although the watched key was rewritten throughout");
        Assert.Equal(committed, (long)await db.StringGetAsync("se2:commits")); // the aborted ones ran nothing

        // Nobody else writes now: the same transaction commits. (SER301 suggests the server-side compare-and-set of
        // Redis 8.4; these tests are about WATCH, which is what the client sends here.)
#pragma warning disable SER301
        var quiet = db.CreateTransaction();
        quiet.AddCondition(Condition.StringEqual("se2:balance", "100"));
        var write = quiet.StringSetAsync("se2:balance", "50");
        Assert.True(await quiet.ExecuteAsync());
        Assert.True(await write);
        Assert.Equal("50", (string?)await db.StringGetAsync("se2:balance"));

        // A condition that no longer holds: nothing runs.
        var stale = db.CreateTransaction();
        stale.AddCondition(Condition.StringEqual("se2:balance", "100"));
        _ = stale.StringSetAsync("se2:balance", "0");
        Assert.False(await stale.ExecuteAsync());
#pragma warning restore SER301
        Assert.Equal("50", (string?)await db.StringGetAsync("se2:balance"));
    }

    [Fact]
    public async Task IoRedis_WatchConflict_AbortsExec_AndWithoutConflictCommits()
    {
        var (exit, output) = await IoRedisScripts.RunAsync("watch-conflict.mjs", [Cluster.MasterResp.ToString()], TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, output);
        Assert.Contains("ok conflict-aborts null", output);
        Assert.Contains("ok no-conflict-commits", output);
    }
}
