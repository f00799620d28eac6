using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// A password per node (ReplDash:Nodes:N:Password): before AUTH only AUTH, HELLO, PING and QUIT are served; both AUTH
/// forms work; failures are counted and logged without the password tried; a node without one needs no AUTH.
/// </summary>
public class NodePasswordTests
{
    private const string MasterPassword = "m1-Passw0rd-for-tests";
    private const string WrongPassword = "wrong-9c2e-password";

    [Fact]
    public async Task MasterWithItsOwnPassword_RequiresAuth_SlaveWithoutOneDoesNot()
    {
        var cluster = new ClusterConfig { SemiSync = false };
        var settings = cluster.For("m1,s1");
        settings["ReplDash__Nodes__0__Password"] = MasterPassword;
        await using var app = await ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("node-password"), settings,
            respPort: cluster.MasterResp, readyPort: cluster.MasterResp);

        using (var client = await RespTestClient.ConnectAsync(cluster.MasterResp))
        {
            Assert.Equal("PONG", await client.CallAsync("PING"));
            Assert.Equal(new RespError("NOAUTH Authentication required."), await client.CallAsync("SET", "k", "v"));
            Assert.Equal(new RespError("NOAUTH Authentication required."), await client.CallAsync("GET", "k"));
            Assert.Equal(new RespError("WRONGPASS invalid username-password pair or user is disabled."),
                await client.CallAsync("AUTH", "default", WrongPassword));
            Assert.Equal(new RespError("WRONGPASS invalid username-password pair or user is disabled."),
                await client.CallAsync("AUTH", "someone", MasterPassword));
            Assert.Equal("OK", await client.CallAsync("AUTH", "default", MasterPassword));
            Assert.Equal("OK", await client.CallAsync("SET", "k", "v"));
            var stats = RespTestClient.Text(await client.CallAsync("INFO", "stats"))!;
            Assert.Contains("acl_access_denied_auth:2\r\n", stats);
        }

        // What redis-cli sends with -a (AUTH password), and a slave without a password of its own serves at once.
        Assert.Equal("v", await RedisCli.RunAsync(cluster.MasterResp, "-a", MasterPassword, "--no-auth-warning", "GET", "k"));
        await Poll.UntilAsync(async () => await RedisCli.RunAsync(cluster.Slave1Resp, "GET", "k") == "v", "s1 to apply k");

        await app.StopAsync();
        Assert.Contains("AUTH failed on node m1", app.Output);
        Assert.DoesNotContain(WrongPassword, app.Output);
        Assert.DoesNotContain(MasterPassword, app.Output);
    }
}
