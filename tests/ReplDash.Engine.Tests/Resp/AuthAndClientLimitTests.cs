using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>AUTH when a password is configured, the client limit, and no secret in the logs.</summary>
public class AuthAndClientLimitTests
{
    private const string Password = "s3cret-Passw0rd-for-tests";

    [Fact]
    public async Task PasswordIsRequired_ClientLimitIsEnforced_SecretNeverLogged()
    {
        await using var app = await ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("auth"), new Dictionary<string, string>
        {
            ["ReplDash__RequirePass"] = Password,
            ["ReplDash__Limits__MaxClients"] = "2",
            ["Logging__LogLevel__Default"] = "Debug",
        });

        using var first = await RespTestClient.ConnectAsync(app.RespPort);
        Assert.Equal(new RespError("NOAUTH Authentication required."), await first.CallAsync("GET", "k"));
        Assert.Equal(new RespError("WRONGPASS invalid username-password pair or user is disabled."), await first.CallAsync("AUTH", "wrong"));
        Assert.Equal("OK", await first.CallAsync("AUTH", Password));
        Assert.Equal("OK", await first.CallAsync("SET", "k", "v"));
        // ReplDashProcess's start-up check pinged this port and hung up; its session frees its client slot
        // only once the server has read the close on a pool thread. Until then it counts against the limit
        // of 2, so the second client below could be refused: wait until the first is the only client.
        string? clients = null;
        await Poll.UntilAsync(async () => (clients = RespTestClient.Text(await first.CallAsync("INFO", "clients")))!.Contains("connected_clients:1\r\n"),
            "the start-up check's connection to be released", describe: () => Task.FromResult(clients ?? ""));

        // Kestrel hands connections to the handler on pool threads, so two connects in a row may be
        // admitted in either order: the second client's reply proves it holds the last slot.
        using var second = await RespTestClient.ConnectAsync(app.RespPort);
        Assert.Equal("OK", await second.CallAsync("AUTH", Password));
        using var third = await RespTestClient.ConnectAsync(app.RespPort);
        Assert.Equal(new RespError("ERR max number of clients reached"), third.ReadReply());
        Assert.True(third.IsClosedByServer());

        // The clients already connected keep being served.
        Assert.Equal("v", RespTestClient.Text(await first.CallAsync("GET", "k")));
        var config = Assert.IsType<object?[]>(await second.CallAsync("CONFIG", "GET", "*"));
        Assert.DoesNotContain(config, value => RespTestClient.Text(value) == Password);

        await app.StopAsync();
        Assert.DoesNotContain(Password, app.Output);
    }
}
