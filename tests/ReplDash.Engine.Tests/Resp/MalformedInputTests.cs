using System.Text;
using ReplDash.Testing;
using Xunit.Abstractions;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>
/// Garbage, truncated frames and oversized input get a protocol error and a closed connection; the server
/// keeps serving everyone else and loses nothing acknowledged.
/// </summary>
public class MalformedInputTests(AppFixture fixture, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    public static TheoryData<string, string> Violations => new()
    {
        { "oversized bulk length", "*1\r\n$999999999999\r\n" },
        { "too many arguments", "*99999999\r\n" },
        { "negative bulk length", "*1\r\n$-5\r\nabc\r\n" },
        { "bulk without CRLF", "*1\r\n$3\r\nabcXY" },
        { "not a bulk marker", "*2\r\n$3\r\nGET\r\n:12\r\n" },
        { "unbalanced quotes", "SET \"abc def\r\n" },
        { "non-numeric multibulk", "*x\r\n" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task ProtocolViolation_GetsErrorAndClose_ServerKeepsServing(string name, string bytes)
    {
        using var good = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        Assert.Equal("OK", await good.CallAsync("SET", $"safe:{name}", "kept"));

        using (var bad = await RespTestClient.ConnectAsync(fixture.App.RespPort))
        {
            await bad.SendRawAsync(Encoding.ASCII.GetBytes(bytes));
            var reply = Assert.IsType<RespError>(bad.ReadReply());
            Assert.StartsWith("ERR Protocol error", reply.Message);
            Assert.True(bad.IsClosedByServer(), $"{name}: connection should be closed after a protocol error");
        }

        Assert.Equal("kept", RespTestClient.Text(await good.CallAsync("GET", $"safe:{name}")));
        using var fresh = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        Assert.Equal("PONG", await fresh.CallAsync("PING"));
    }

    [Fact]
    public async Task OversizedInlineLine_IsRefused()
    {
        using var bad = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        await bad.SendRawAsync(Encoding.ASCII.GetBytes("SET k " + new string('x', 70 * 1024)));
        var reply = Assert.IsType<RespError>(bad.ReadReply());
        Assert.Contains("too big inline request", reply.Message);
    }

    [Fact]
    public async Task RandomBytesAndTruncatedFrames_NeverStopTheServer()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var good = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        for (int round = 0; round < 40; round++)
        {
            using (var bad = await RespTestClient.ConnectAsync(fixture.App.RespPort))
            {
                var noise = new byte[random.Next(1, 4096)];
                random.NextBytes(noise);
                if (round % 2 == 0)
                {
                    // A valid frame cut short, followed by noise.
                    var frame = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$5\r\nfuzzk\r\n$10\r\n0123");
                    noise = [.. frame.Take(random.Next(1, frame.Length)), .. noise];
                }
                await bad.SendRawAsync(noise);
                // Whatever the server answers, it must not die: the next good command is checked below.
            }
            Assert.Equal("OK", await good.CallAsync("SET", $"fuzz:{round}", round.ToString()));
            Assert.Equal(round.ToString(), RespTestClient.Text(await good.CallAsync("GET", $"fuzz:{round}")));
        }
        Assert.False(fixture.App.HasExited, $"seed {seed}: the server exited");
    }
}
