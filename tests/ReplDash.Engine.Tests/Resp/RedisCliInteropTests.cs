using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>Debian's redis-cli and redis-benchmark, unmodified, talk to the node.</summary>
public class RedisCliInteropTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private int Port => fixture.App.RespPort;

    [Fact]
    public async Task StringsCountersAndErrors_AnswerAsRedisDoes()
    {
        Assert.Equal("OK", await RedisCli.RunAsync(Port, "SET", "cli:k", "v"));
        Assert.Equal("v", await RedisCli.RunAsync(Port, "GET", "cli:k"));
        Assert.Equal("", await RedisCli.RunAsync(Port, "GET", "cli:missing"));
        Assert.Equal("11", await RedisCli.RunAsync(Port, "INCRBY", "cli:n", "11"));
        Assert.Equal("10", await RedisCli.RunAsync(Port, "DECR", "cli:n"));
        Assert.Equal("3", await RedisCli.RunAsync(Port, "APPEND", "cli:a", "abc"));
        Assert.Equal("ERR value is not an integer or out of range", await RedisCli.RunAsync(Port, "INCR", "cli:k"));
        Assert.StartsWith("ERR unknown command 'NOSUCH'", await RedisCli.RunAsync(Port, "NOSUCH", "x"));
        Assert.Equal("ERR wrong number of arguments for 'get' command", await RedisCli.RunAsync(Port, "GET"));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await RedisCli.RunAsync(Port, "LPUSH", "cli:k", "x"));
    }

    [Fact]
    public async Task CollectionsAndKeyspaceCommands_PrintAsRedisDoes()
    {
        Assert.Equal("3", await RedisCli.RunAsync(Port, "RPUSH", "cli:list", "a", "b", "c"));
        Assert.Equal("a\nb\nc", await RedisCli.RunAsync(Port, "LRANGE", "cli:list", "0", "-1"));
        Assert.Equal("2", await RedisCli.RunAsync(Port, "HSET", "cli:h", "f1", "1", "f2", "2"));
        Assert.Equal("2", await RedisCli.RunAsync(Port, "HGET", "cli:h", "f2"));
        Assert.Equal("2", await RedisCli.RunAsync(Port, "SADD", "cli:s", "x", "y"));
        Assert.Equal("2", await RedisCli.RunAsync(Port, "SCARD", "cli:s"));
        Assert.Equal("list", await RedisCli.RunAsync(Port, "TYPE", "cli:list"));
        Assert.Equal("1", await RedisCli.RunAsync(Port, "EXPIRE", "cli:list", "100"));
        Assert.InRange(int.Parse(await RedisCli.RunAsync(Port, "TTL", "cli:list")), 95, 100);
        Assert.Equal("PONG", await RedisCli.RunAsync(Port, "PING"));
        Assert.Contains("role:master", await RedisCli.RunAsync(Port, "INFO", "replication"));
        Assert.Matches("^[0-9a-f]{40}$", await RedisCli.RunAsync(Port, "DEBUG", "DIGEST"));
        Assert.Equal("OK", await RedisCli.RunAsync(Port, "CLIENT", "SETNAME", "tester"));
    }

    [Fact]
    public async Task RedisBenchmark_RunsEveryRequiredTestWithoutErrors()
    {
        foreach (var pipeline in new[] { "1", "16" })
        {
            var (exit, stdout, stderr) = await RedisCli.RunToolAsync("redis-benchmark",
                ["-p", Port.ToString(), "-t", "set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,lrange_100,mset", "-n", "3000", "-c", "10", "-P", pipeline, "-q"]);
            Assert.True(exit == 0, $"redis-benchmark exited {exit}: {stderr}");
            Assert.DoesNotContain("ERR", stdout + stderr);
            foreach (var test in new[] { "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "LRANGE_100", "MSET" })
                Assert.Contains(test, stdout);
        }
    }
}
