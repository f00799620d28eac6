using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>HELLO over real TCP: the map it answers, its errors, and RESP3's reply forms once a client switched.</summary>
[Collection(Resp3ClusterCollection.Name)]
public sealed class Resp3HelloTests(Resp3ClusterFixture fixture)
{
    private int Master => fixture.Cluster.MasterResp;

    [Fact]
    public async Task Hello3_AnswersAMap_AndLaterRepliesUseResp3Forms()
    {
        using var client = await RespTestClient.ConnectAsync(Master);
        await client.CallAsync("DEL", "r3:h", "r3:s");
        await client.CallAsync("HSET", "r3:h", "f", "v");
        await client.CallAsync("SADD", "r3:s", "m");

        var hello = Assert.IsType<RespMap>(await client.CallAsync("HELLO", "3"));

        Assert.Equal(["server", "version", "proto", "id", "mode", "role", "modules"], hello.Pairs.Select(p => RespTestClient.Text(p.Key)));
        Assert.Equal("redis", RespTestClient.Text(hello["server"]));
        Assert.Equal(3L, hello["proto"]);
        Assert.Equal("master", RespTestClient.Text(hello["role"]));
        Assert.Equal(await client.CallAsync("CLIENT", "ID"), hello["id"]);
        var hash = Assert.IsType<RespMap>(await client.CallAsync("HGETALL", "r3:h"));
        Assert.Equal("v", RespTestClient.Text(hash["f"]));
        Assert.Equal(["m"], Assert.IsType<RespSet>(await client.CallAsync("SMEMBERS", "r3:s")).Items.Select(RespTestClient.Text));
        Assert.Same(Resp3Null.Instance, await client.CallAsync("GET", "r3:missing"));
        var config = Assert.IsType<RespMap>(await client.CallAsync("CONFIG", "GET", "maxclients"));
        Assert.Equal("10000", RespTestClient.Text(config["maxclients"]));
        Assert.Contains("redis_version:", Assert.IsType<string>(await client.CallAsync("INFO", "server")));

        var back = Assert.IsType<object?[]>(await client.CallAsync("HELLO", "2"));
        Assert.Equal(14, back.Length);
        Assert.Null(await client.CallAsync("GET", "r3:missing"));
        Assert.IsType<object?[]>(await client.CallAsync("HGETALL", "r3:h"));
    }

    [Fact]
    public async Task Hello_Errors_AreRedisTexts_AndLeaveTheProtocolAsItWas()
    {
        using var client = await RespTestClient.ConnectAsync(Master);

        Assert.Equal(new RespError("NOPROTO unsupported protocol version"), await client.CallAsync("HELLO", "4"));
        Assert.Equal(new RespError("ERR Protocol version is not an integer or out of range"), await client.CallAsync("HELLO", "x"));
        Assert.Equal(new RespError("ERR Syntax error in HELLO option 'bogus'"), await client.CallAsync("HELLO", "3", "bogus"));
        Assert.Equal(new RespError("WRONGPASS invalid username-password pair or user is disabled."),
            await client.CallAsync("HELLO", "3", "AUTH", "nobody", "pw"));
        Assert.Null(await client.CallAsync("GET", "r3:missing")); // still RESP2
    }

    [Fact]
    public async Task Hello_WithAuthAndSetName_WithoutAConfiguredPassword_AcceptsTheDefaultUserAndNamesTheClient()
    {
        using var client = await RespTestClient.ConnectAsync(Master);

        var hello = Assert.IsType<RespMap>(await client.CallAsync("HELLO", "3", "AUTH", "default", "anything", "SETNAME", "r3-client"));

        Assert.Equal(3L, hello["proto"]);
        Assert.Equal("r3-client", RespTestClient.Text(await client.CallAsync("CLIENT", "GETNAME")));
        var info = Assert.IsType<string>(await client.CallAsync("CLIENT", "INFO"));
        Assert.Contains("name=r3-client", info);
        Assert.Contains("resp=3", info);
    }

    [Fact]
    public async Task Hello_OnASlave_SaysReplica()
    {
        using var client = await RespTestClient.ConnectAsync(fixture.Cluster.Slave1Resp);
        var hello = Assert.IsType<RespMap>(await client.CallAsync("HELLO", "3"));
        Assert.Equal("replica", RespTestClient.Text(hello["role"]));
    }

    [Fact]
    public async Task RedisCli3_SwitchesToResp3()
    {
        string output = await RedisCli.RunAsync(Master, "--no-raw", "-3", "HELLO");
        Assert.Contains("\"proto\" => (integer) 3", output);
        string missing = await RedisCli.RunAsync(Master, "--no-raw", "-3", "GET", "r3:missing-for-cli");
        Assert.Equal("(nil)", missing.Trim());
    }
}
